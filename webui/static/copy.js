// Copy buttons of the cite block: copy the named field's text, say so on the button.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field) return;
  var done = function () {
    button.textContent = "已复制";
    button.classList.add("copied");
    setTimeout(function () { button.textContent = "复制"; button.classList.remove("copied"); }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () { field.select(); document.execCommand("copy"); done(); });
  } else {
    field.select();
    document.execCommand("copy");
    done();
  }
});
