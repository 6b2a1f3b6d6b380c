// The compare page: n / p jump to the next / previous change (the links on each change do the same without this).
(function () {
  var at = 0;
  document.addEventListener("keydown", function (event) {
    if (event.target.closest("input, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    var rows = document.querySelectorAll("table.compare tr[id^='c']");
    if (!rows.length || (event.key !== "n" && event.key !== "p")) return;
    at = event.key === "n" ? Math.min(at + 1, rows.length) : Math.max(at - 1, 1);
    rows[at - 1].scrollIntoView({ block: "center" });
    history.replaceState(null, "", "#" + rows[at - 1].id);
  });
})();
