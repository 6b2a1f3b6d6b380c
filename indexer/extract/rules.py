"""Data only: the patterns the cleaner, the metadata extractor and the sectioner use.

Keep logic out of this module. Each pattern names a *family* of noise (not one site's strings), so that a
new site with the same habits is handled without a new rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CN_NUM = "一二三四五六七八九十百零〇两"
_CN = f"[{CN_NUM}]+"

# ----------------------------------------------------------------------------------------- HTML structure
#: Containers that government and party CMSs put the article body in, most specific first: each an ``#id``, a
#: ``.class`` or an element name (matched in one walk, :func:`indexer.extract.html._selected`).
BODY_SELECTORS = [
    "#UCAP-CONTENT", ".TRS_Editor", ".trs_editor_view", "#zoom", "#Zoom", ".pages_content", "#font_area",
    ".article-content", ".article_content", ".articleContent", "#articleContent", ".art_con", ".artCon",
    "#ArticleContent", ".arti_content", ".news_content", ".newsContent", ".news-content", ".detail-content",
    ".detail_content", ".xl_content", ".con_text", ".text_con", ".TRS_PreAppend", "#content_text",
    ".rich_media_content", "#js_content", ".post_body", ".post_text", "#artibody", ".article-body",
    "#endText", ".main-text", ".article-text", ".content-article", "#detail", ".rm_txt_con", ".box_con",
    "#p-detail", ".article", "article", "#content", ".content", ".main_content",
]
#: Elements never part of an article's text.
DROP_TAGS = ["script", "style", "noscript", "iframe", "form", "nav", "footer", "header", "aside", "select",
             "button", "input", "textarea", "object", "embed", "svg", "canvas", "video", "audio", "map"]
#: id/class fragments of widgets inside or around the body (share bars, print buttons, related lists).
CHROME_CLASS = re.compile(
    r"share|bdshare|fenxiang|dayin|print|shoucang|favor|jiucuo|font_size|fontsize|zihao|qrcode|qr_|wxfx|"
    r"weixin|wx_pic|related|relate|xgxw|xgyd|tuijian|recommend|comment|pinglun|breadcrumb|mbx|crumb|"
    r"location|position|pagination|page_bottom|footer|copyright|toolbar|tool-bar|editor_name|hot_?word|"
    r"m_title|menu|nav|sidebar|ad_|advert|banner|gotop|back_to_top",
    re.I,
)

# ----------------------------------------------------------------------------------------- site chrome lines
#: Whole lines that are navigation, widgets, counters or footers.
CHROME_LINE = [
    (re.compile(r"^(您|你)?(当前|现在)?(的)?(所在)?位置\s*[:：>]|^当前位置|^首页\s*[>›»/]|网站首页\s*[>›»]"), "breadcrumb"),
    (re.compile(r"^[^。，；！？\s»›]{1,20}\s*[»›]\s*[^。，；！？»›]{1,40}$"), "breadcrumb"),
    (re.compile(r"^(?:https?://)?(?:www\.)?(?:[a-z0-9][a-z0-9-]*\.)+[a-z]{2,12}(?::\d+)?(?:/\S*)?$", re.I), "site address"),
    (re.compile(r"(?:更多|最新)(?:内容|资讯|精彩|信息|资料|文章)[^。！？]{0,6}关注\s*[:：]?"), "site promotion"),
    (re.compile(r"微信扫一扫|扫一扫在手机|扫一扫\s*(分享|打开)|打开微信.{0,12}扫一扫|分享按钮|手机扫描二维码|用微信扫描"), "share widget"),
    (re.compile(r"^\s*(分享到|分享至|分享)\s*[:：]?\s*$|^【?(打印本页|打印|关闭窗口|关闭|收藏|纠错|收听本文|返回顶部|TOP)】?\s*$"), "share/print widget"),
    (re.compile(r"^.{0,30}(?:[【\[]\s*(?:我要)?纠错\s*[】\]]|我要纠错|网站纠错|内容纠错|纠错邮箱|纠错电话|点击纠错)"), "report-an-error link"),
    (re.compile(r"分享到[:：]?\s*(微信|微博|QQ|空间)|【\s*打印\s*】|【\s*关闭\s*】|\[\s*打印\s*\]|\[\s*关闭\s*\]|关闭窗口"), "share/print widget"),
    (re.compile(r"字号\s*[:：]?\s*[【\[]?\s*大\s*中\s*小|【\s*字[号体]|字体\s*[:：]?\s*[【\[]?\s*大\s*中\s*小|^\s*\[?\s*大\s*中\s*小\s*\]?\s*$"), "font-size widget"),
    (re.compile(r"^(浏览|阅读|点击|访问)(次数|量|数)?\s*[:：]?\s*\d*\s*(次)?\s*$"), "view counter"),
    (re.compile(r"ICP\s*备|ICP证|公网安备|网安备\d|网站标识码|政府网站标识"), "footer"),
    (re.compile(r"^(网站地图|联系我们|关于我们|网站声明|隐私政策|使用帮助|设为首页|加入收藏)(\s*[|｜]\s*\S+)*\s*$"), "footer"),
    (re.compile(r"^(相关(链接|阅读|新闻|文章|稿件)|延伸阅读|推荐阅读|热点推荐|更多阅读|热词)\s*[:：]?\s*$"), "related links"),
    (re.compile(r"^(上一篇|下一篇|上一条|下一条)\s*[:：]"), "related links"),
    (re.compile(r"^(?:(?:上一页|下一页|首页|尾页|末页)\s*)+$"), "pager"),
    (re.compile(r"^【?(责任编辑|责编|编辑|校对|审核|审校|终审|初审)\s*[:：]\s*\S{1,20}】?\s*$"), "editor line"),
    (re.compile(r"^(点击(观看|查看)(视频|大图)|视频加载中|请使用.{0,10}浏览器)\S{0,10}$"), "media widget"),
]
#: What a site's footer says, and a document's own text may too (a meeting notice's 主办单位：…, a report's
#: 版权所有): a line with one of these is a footer only among a footer's lines — with a second footer marker,
#: next to a footer line, or among the last lines where nothing but chrome follows
#: (:func:`indexer.extract.cleaning.remove_chrome`).
FOOTER_LABEL = re.compile(r"版权所有|Copyright|©|主办单位\s*[:：]|承办单位\s*[:：]|技术支持\s*[:：]", re.I)
#: Label lines whose content is metadata (removed from the text, parsed into fields).
META_LABEL = re.compile(
    r"(发布时间|发布日期|发文日期|更新时间|成文日期|时间|日期|来源|信息来源|文章来源|作者|编辑|责任编辑|浏览次数|"
    r"浏览|点击数|阅读|发文机关|发文字号|索引号|主题分类|主题词|标\s*题)\s*[:：]"
)

# ----------------------------------------------------------------------------------------- spam families
#: A contact channel (QQ, WeChat, phone) followed by an identifier: an advertisement, whatever else is said.
CONTACT_ID = re.compile(
    r"(QQ|qq|扣扣|微信|VX|vx|V信|wx|WX|威信|薇信)\s*(号码?|群号?)?\s*[:：]?\s*[A-Za-z_]?\d{5,12}"
    r"|(微信|VX|vx|V信|wx)\s*(号)?\s*[:：]\s*[A-Za-z][A-Za-z0-9_-]{4,19}"
)
#: A phone number is an advertisement only next to what sellers of documents offer (a policy text's
#: 联系电话：0531-… is not).
PHONE_AD = re.compile(r"(电话|手机|热线|联系方式)\s*(号码?)?\s*[:：]?\s*\d{5,12}(?=.{0,30}(资料|范文|会员|代写|领取|下载|"
                      r"整理|VIP|vip|付费|购买|加我))|(资料|范文|会员|代写|领取|下载|VIP|vip|付费|购买|加我).{0,30}"
                      r"(电话|手机|热线|联系方式)\s*(号码?)?\s*[:：]?\s*\d{5,12}")
#: Words that solicit, sell or guard paid material.
SOLICIT = re.compile(
    r"咨询|加我|联系我|私聊|详询|获取|领取|订阅|会员|VIP|vip|付费|收费|购买|售卖|代写|定制|整理|出品|"
    r"倒卖|外传|转载|侵权|后果自负|免费赠送|赠送|权益|资料|下载|积分|下载券|扫码|关注"
)
WECHAT_PROMO = "WeChat official-account promotion"
#: Names essay and template-writing sites go by (范文网, 写作网, 文秘网, 公文网, 范文大全, 文库), and what their
#: promotions say around them.
_WRITING_SITE = (r"范文(?:网|站|大全|库|吧|之家|频道)|(?:公文|文秘|写作|材料|文案)(?:网|站|平台|之家|帮|素材库)|文库"
                 r"|(?:公文|写作|文秘)?素材(?:库|网)")
_PROMOTE = r"更多|访问|登录|登陆|下载|尽在|来自|本文由|提供|专业|海量|关注|搜索|收录|首发|原创|版权|www|http|\.com|\.cn"
_DOMAIN = r"(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9-]{1,30}\.(?:com|cn|net|org|cc|top)(?:\.cn)?(?![a-z])"
#: Spam phrases: (pattern, reason, strong). A strong phrase marks its line or clause as spam by itself; a
#: weak one only when the line or clause is short (real prose may say "可免费下载").
SPAM_PHRASE = [
    # 仅供参考 alone is prose (有的图纸注明“仅供参考”, 以下模板仅供参考): a notice pairs it (仅供学习交流)
    # 违者必究 alone is prose too (严禁在林区野外用火，违者必究; a standard's 版权所有 违者必究): a notice
    # threatens who passes its material on (不得转载，违者必究)
    (re.compile(r"仅供(学习|参考|内部|个人)(交流|学习|参考|使用)|禁止外传|严禁外传|用后删除|请勿外传|"
                r"(?:外传|转载|转发|复制|倒卖|商用|商业用途|传播)[^。！？!?\n]{0,12}违者(必究|后果自负)"),
     "anti-resale notice", True),
    # what a seller of documents guards against is the resale of its material (打击倒卖会员资料); 打击倒卖赛事门票 is prose
    # a 商会's or 工商联's members are prose (吸纳非公企业成为会员, 建立会员群, 完善会员资料, 保障…所有权益): a seller
    # sells membership — what it unlocks (开通会员即可免费下载), its group's number (会员群：…), 立享…权益
    (re.compile(r"(?:打击|举报)?倒卖(会员)?(?:资料|材料|文档)|会员群\s*[:：]|(?:开通|成为|升级)(?:VIP|vip)?会员[^。；！？]{0,8}"
                r"(?:下载|免费|领取|立享|尊享|畅享|特权)|VIP会员|订阅立享|立享.{0,6}权益"),
     "membership advertisement", True),
    (_QQ_AD := re.compile(r"免费\s*(QQ|qq|微信)\s*群|(QQ|qq|微信)\s*群\s*[:：]|加\s*(QQ|qq|微信|VX|vx)\b|(咨询|联系)\s*(QQ|qq|微信|VX|vx)"),
     "QQ/WeChat advertisement", True),
    (_SHARING := re.compile(r"本(文档|资料|文)(来自|来源于|转载自|收集于)(网络|互联网|用户)|如有侵权.{0,8}(联系|删除)|侵删|文档贡献者|"
                r"下载(后|即)可(编辑|修改|使用)|(可编辑|可修改)(版|word|Word|WORD)|word版(本)?下载|下载积分|下载券|"
                r"付费下载|原创力文档|道客巴巴|豆丁网|百度文库|book118|docin\.com|wenku\.|(此|本)文档可(编辑|下载)"),
     "document-sharing disclaimer", True),
    # 感谢您的支持 closes a notice or a letter (衷心感谢您的支持和配合！): a writer thanking the reader, no sharer's
    (re.compile(r"免费下载|点击下载|下载地址|更多(精品|优质)?(文档|范文|资料|精彩内容)|感谢(您的)?(阅读|下载)|"
                r"欢迎(下载|阅读)|精品文档|专业文档|THANKS|Thanks for|关注.{0,8}公众号.{0,8}(获取|领取|下载)"),
     "document-sharing disclaimer", False),
    (re.compile(r"^第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页$|^\d+\s*/\s*\d+$|^-\s*\d+\s*-$"), "page footer", True),
    # WeChat official-account promotions: follow / reply-a-keyword / scan-the-code to get something.
    (_WECHAT := re.compile(r"(?:关注|搜索|添加|置顶|星标).{0,12}(?:公众号|微信号|服务号|订阅号|视频号).{0,20}(?:回复|免费|领取|"
                r"查看全文|阅读全文|福利|资料|获取更多)"
                r"|(?:后台|公众号|对话框|留言区?|私信)?回复.{0,10}(?:关键词|关键字|数字\s*\d*|[“\"「【][^”\"」】]{1,12}[”\"」】])"
                r".{0,12}(?:领取|获取|下载|即可|查看|免费)"
                r"|(?:扫描?|识别).{0,6}二维码.{0,10}(?:关注|进群|加群|领取|福利)|长按.{0,6}(?:识别|扫描|扫码)|扫一扫.{0,6}关注"
                r"|点击.{0,6}(?:蓝字|阅读原文)|(?:点个|点一下|点亮)[“\"]?在看|分享.{0,4}点赞.{0,4}在看"),
     WECHAT_PROMO, True),
    # essay/template-writing sites: their names, domains and slogans (第一范文网, www.xxfanwen.com, 专业公文写作平台)
    (_WRITING_PROMO := re.compile(rf"(?:{_WRITING_SITE}).{{0,20}}(?:{_PROMOTE})|(?:{_PROMOTE}).{{0,20}}(?:{_WRITING_SITE})|"
                rf"(?:专业|一站式|海量|免费|在线)[^，。；]{{0,6}}(?:公文|文秘|范文|材料|文案)写作(?:平台|服务|网站|网)|"
                rf"(?:{_WRITING_SITE})[^，。；]{{0,12}}{_DOMAIN}|{_DOMAIN}[^，。；]{{0,12}}(?:{_WRITING_SITE}|范文|公文|文秘|写作)"),
     "essay/template-writing site promotion", True),
    # what an account gives away (免费领取资料) and asks (欢迎关注我们, a line ending 关注我们); 开展免费送医送药活动,
    # 关注我们身边的统战故事 are a report's own
    (re.compile(r"免费(?:获取|领取|送)[^，。；]{0,6}(?:资料|全文|文档|模板|范文|福利|课程|会员|电子版|红包)"
                r"|(?:欢迎|请|记得|点击|扫码|长按|一键)关注(?:我们|本号|公众号|我)|关注(?:我们|本号|公众号|我)\W*$|^[\u4e00-\u9fffA-Za-z]{0,10}(?:微信)?(?:公众号|订阅号|服务号|"
                r"视频号)\s*[:：]?\s*[A-Za-z0-9_\-]*$"),
     WECHAT_PROMO, False),
]
#: Literals one of which every match of a pattern holds, read off each of its branches: a text holding none of
#: them is not searched (a shortcut only — ``re`` tries every alternative at every position of a long line,
#: ``str.__contains__`` scans in C). Every branch of the writing-site promotion holds a site's name (范文…,
#: (公文|文秘|写作|材料|文案)网/站/平台…, 文库, 素材…) or 写作; the WeChat promotion holds an account kind, 回复,
#: 二维码, 长按, 扫一扫, 点击 or 在看.
SPAM_LITERALS: dict[re.Pattern[str], tuple[str, ...]] = {
    CONTACT_ID: ("QQ", "qq", "扣扣", "微信", "VX", "vx", "V信", "wx", "WX", "威信", "薇信"),
    PHONE_AD: ("电话", "手机", "热线", "联系方式"),
    _QQ_AD: ("QQ", "qq", "微信", "VX", "vx"),
    _SHARING: ("本文", "本资料", "侵权", "侵删", "贡献者", "下载", "可编辑", "可修改", "原创力", "道客巴巴", "豆丁",
                        "文库", "book118", "docin", "wenku", "文档可"),
    _WECHAT: ("公众号", "微信号", "服务号", "订阅号", "视频号", "回复", "二维码", "长按", "扫一扫", "点击", "在看"),
    _WRITING_PROMO: ("范文", "文库", "素材", "写作", "公文", "文秘", "材料", "文案"),
}


#: Each gated pattern's literals as one alternation: one scan of a line finds whether it holds any of them
#: (three times faster than a ``str.__contains__`` per literal on the bench's lines; the same answer).
def _any_of(literals: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of ``literals`` (longest first)."""
    return re.compile("|".join(re.escape(n) for n in sorted(set(literals), key=len, reverse=True)))


_LITERAL_GATES = {pattern: _any_of(needs) for pattern, needs in SPAM_LITERALS.items()}
#: :data:`SPAM_PHRASE` with each pattern's literal gate (None: not gated) looked up once here: a compiled
#: pattern's hash is computed from its whole program at every dict lookup (1.4 µs for the longest).
SPAM_CHECKS: list[tuple[re.Pattern[str], str, bool, re.Pattern[str] | None]] = [
    (pattern, reason, strong, _LITERAL_GATES.get(pattern)) for pattern, reason, strong in SPAM_PHRASE]
CONTACT_GATE, PHONE_AD_GATE = _LITERAL_GATES[CONTACT_ID], _LITERAL_GATES[PHONE_AD]


#: Every gated pattern's literals together: a line holding none of them (most lines) needs none of those patterns.
_ANY_SPAM_LITERAL = _any_of(n for needs in SPAM_LITERALS.values() for n in needs)


def holds_spam_literal(text: str) -> bool:
    """Whether ``text`` holds a literal of any of :data:`SPAM_LITERALS`' patterns (else none of them can match:
    neither :func:`spam_search` nor a gated check of :data:`SPAM_CHECKS` finds anything)."""
    return _ANY_SPAM_LITERAL.search(text) is not None


def spam_search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """``pattern.search(text)``, skipped where the text holds none of the pattern's :data:`SPAM_LITERALS`."""
    return gated_search(pattern, _LITERAL_GATES.get(pattern), text)


def gated_search(pattern: re.Pattern[str], gate: re.Pattern[str] | None, text: str) -> re.Match[str] | None:
    """``pattern.search(text)``, skipped where ``gate`` (one of :data:`SPAM_CHECKS`' or ``CONTACT_GATE``/
    ``PHONE_AD_GATE``; None: no gate) finds none of the pattern's literals."""
    if gate is not None and gate.search(text) is None:
        return None
    return pattern.search(text)


#: Clauses shorter than this count as "short" for weak spam phrases.
SHORT_CLAUSE = 30
#: "<brand>整理/出品/制作，…": the brand then marks every other line it appears on.
BRAND = re.compile(r"^([\u4e00-\u9fffA-Za-z]{2,8})(整理|出品|制作|独家|原创|编辑整理|精编)")
#: A watermark is a short line repeated at least this many times.
WATERMARK_REPEATS = 3
#: A table of contents entry that is a web site's name (Laosheng.top……1): the site's, not the document's.
CONTENTS_DOMAIN = re.compile(r"(?<![A-Za-z0-9.])(?:www\.)?[a-z0-9][a-z0-9-]*\.(?:com|cn|net|org|top|cc|info)(?:\.cn)?"
                             r"\s*(?:\.{3,}|…{2,}|·{3,})\s*\d*", re.I)
WATERMARK_MAX_LEN = 40
#: A line repeated at most this often whose first copy stands among the opening lines is the document's own title
#: (a standard prints it on its cover, its title page and over its first clause): that first copy stays.
TITLE_REPEATS_MAX = 4
OPENING_LINES = 14

# ----------------------------------------------------------------------------------------- damage
#: A bracketed pinyin gloss after an ideograph (a syllable with a tone mark, or with a vowel and a tone number: a unit
#: is no gloss, 场地需求（m2）, 体积（cm3））; the pattern begins with the bracket and looks back from after it
#: (a pattern beginning with a lookbehind is tried at every position, one beginning with a character class only
#: where that class matches).
PINYIN_GLOSS = re.compile(
    r"[(（](?<=[\u4e00-\u9fff][(（])\s*([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]*|[a-zü]{0,5}[aeiouüv][a-zü]{0,5}[1-5])"
    r"\s*[)）]"
)
HTML_TAGS = ("a|abbr|b|br|div|em|font|h[1-6]|i|img|li|ol|p|span|strong|sub|sup|table|tbody|td|th|tr|u|ul|"
             "section|article|center|small|big|label|o:p|st1:\\w+")
TAG_FRAGMENT = re.compile(
    rf"</?\s*(?:{HTML_TAGS})\b[^<>\n]{{0,200}}?/?>|(?<![A-Za-z<])/(?:{HTML_TAGS})>|<(?:{HTML_TAGS})\s*$",
    re.I,
)
ENTITY = re.compile(r"&(nbsp|amp|lt|gt|quot|ldquo|rdquo|lsquo|rsquo|mdash|hellip|middot|#\d{2,6}|#x[0-9a-fA-F]{2,5});")

# ----------------------------------------------------------------------------------------- headings
HEADING_PATTERNS = [  # outermost first; a match with a named group "h" stores that part as the heading
    re.compile(rf"^第{_CN}[编章节]\s*\S.*|^第{_CN}[编章节]\s*$"),
    re.compile(rf"^({_CN})[、，.．]\s*(?P<h>\S.*)$"),
    re.compile(rf"^[(（]({_CN})[)）]\s*(?P<h>\S.*)$"),
    re.compile(r"^(\d{1,2})[、.．]\s*(?P<h>[^\d\s].*)$"),
    re.compile(r"^[(（](\d{1,2})[)）]\s*(?P<h>\S.*)$"),
    re.compile(rf"^({_CN})是(?P<h>[^，,。；;：:].*)$"),
    re.compile(rf"^第{_CN}条"),
]
BULLET = re.compile(r"^[●■◆▲★•▪◇○□►·]\s*")
#: A line opening with an ordinal of a part of the text (第一分编 通则, 第二部分, 第三篇): the text's own heading,
#: however often it is repeated.
ORDINAL_PART = re.compile(rf"^第{_CN}(?:分编|[编章节条款部篇卷])")
#: The marker of a regulation's article (第一条 为加强…), whose text is prose.
ARTICLE_MARKER = re.compile(rf"^\s*第{_CN}条\s*")
#: Sentence-ending punctuation: a line ending in one of these is prose, not a bare heading.
SENTENCE_END = "。；;：:！!？?，,、…"
LEAD_CLAUSE = re.compile(r"^(.{2,60}?)[。；;：:！!？?]")
MAX_HEADING_LEN = 40
#: Longest passage a section holds; longer ones continue in a further section under the same heading.
MAX_SECTION_CHARS = 1500

# ----------------------------------------------------------------------------------------- metadata
DOCTYPES = [  # (pattern searched in the title, doctype); the match nearest the end of the title wins
    (r"工作总结|总结", "工作总结"), (r"工作报告|报告", "报告"), (r"讲话|致辞|发言|演讲|主旨演讲|开幕辞|贺词|汇报", "讲话"),
    (r"通知", "通知"), (r"通报", "通报"), (r"意见", "意见"), (r"决定", "决定"), (r"决议", "决议"),
    (r"办法", "办法"), (r"方案", "方案"), (r"规划", "规划"), (r"条例", "条例"), (r"规定", "规定"),
    (r"批复", "批复"), (r"复函|函", "函"), (r"答复", "答复"), (r"公告|公示|通告", "公告"), (r"纪要", "纪要"),
    (r"请示", "请示"), (r"议案", "议案"),
    (r"简介|概况|职能", "简介"), (r"会议|座谈会|研讨会|培训班|大会|论坛|会见|召开|举行", "会议"),
]
TITLE_DOC_SUFFIX = re.compile(
    r"(工作总结|总结|工作报告|报告|讲话|致辞|通知|意见|决定|决议|办法|方案|规划|条例|规定|批复|简介|纪要|要点|实施细则)$"
)
SALUTATION = re.compile(r"^(尊敬的|各位(领导|来宾|代表|委员)|同志们|女士们)")
NATIONAL_BODIES = re.compile(r"^(国务院|中共中央|中央|全国|新华社|人民日报|求是|新华网|央视|中国政府网|国家)")
DATE_LABEL = re.compile(r"(发布时间|发布日期|发文日期|(?<!成文)日期|时间|更新时间)\s*[:：]\s*")
SOURCE_LABEL = re.compile(r"(?:信息来源|文章来源|来源)\s*[:：]\s*([^\s|｜]{2,40}?)(?=\s|$|[|｜]|发布|作者|编辑|浏览|时间|日期|点击)")
ISSUER_LABEL = re.compile(r"发文机关\s*[:：]\s*([^\s|｜]{2,60})")
DOCNUM_LABEL = re.compile(r"发文字号\s*[:：]\s*([^\s|｜]{2,40})")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*号|国令第\s*\d+\s*号")


def doc_number_in(text: str) -> re.Match[str] | None:
    """``DOC_NUMBER.search(text)``, skipped where there is no 号 (every number ends with one: the pattern's
    leading run of up to 12 ideographs is otherwise tried at every ideograph of the line)."""
    return DOC_NUMBER.search(text) if "号" in text else None

# ----------------------------------------------------------------------------------------- congress calendars
_TERM = rf"(?P<term>[{CN_NUM}]{{1,3}}|\d{{1,2}})"
_SESSION = rf"(?P<session>[{CN_NUM}]{{1,2}}|\d)"
#: Congress sessions a title or an opening names: (pattern, body). NPC and CPPCC sessions share a calendar;
#: 常务委员会 meetings (many a year) never match.
SESSIONS = [
    (re.compile(rf"第?{_TERM}届全国(?:人民代表大会|人大)第?{_SESSION}次(?:全体)?会议"), "npc"),
    (re.compile(rf"第?{_TERM}届全国(?:委员会|政协)第?{_SESSION}次(?:全体)?会议"), "npc"),
    (re.compile(rf"全国政协第?{_TERM}届第?{_SESSION}次(?:全体)?会议"), "npc"),
    (re.compile(rf"(?:党的|中国共产党|中共)第?{_TERM}(?:次全国代表大会|大)"), "cpc"),
]
#: Year of each CPC National Congress.
CPC_CONGRESS_YEARS = {1: 1921, 2: 1922, 3: 1923, 4: 1925, 5: 1927, 6: 1928, 7: 1945, 8: 1956, 9: 1969, 10: 1973,
                      11: 1977, 12: 1982, 13: 1987, 14: 1992, 15: 1997, 16: 2002, 17: 2007, 18: 2012, 19: 2017,
                      20: 2022, 21: 2027}
#: Year of the first session of each National People's Congress (later sessions follow yearly)...
NPC_FIRST_YEARS = {1: 1954, 5: 1978, 6: 1983, 7: 1988, 8: 1993, 9: 1998, 10: 2003, 11: 2008, 12: 2013, 13: 2018,
                   14: 2023, 15: 2028}
#: ...except the irregular 2nd–4th congresses: (term, session) → year.
NPC_SESSION_YEARS = {(2, 1): 1959, (2, 2): 1960, (2, 3): 1962, (2, 4): 1963, (3, 1): 1964, (4, 1): 1975}

# ----------------------------------------------------------------------------------------- a document's own date
_NUM = rf"(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})"
_YEAR_TEXT = r"(?:(?:19|20)\d{2}|(?=[0０〇零○ＯO]*[一二三四五六七八九])[0０〇零○ＯO一二三四五六七八九]{4})"
DATE_DAY = rf"{_YEAR_TEXT}\s*年\s*{_NUM}\s*月\s*{_NUM}\s*日|(?:19|20)\d{{2}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}"
DATE_ANY = rf"{_YEAR_TEXT}\s*年\s*{_NUM}\s*月(?:\s*{_NUM}\s*日)?|(?:19|20)\d{{2}}[-/.]\d{{1,2}}(?:[-/.]\d{{1,2}})?"
#: A line that is only a date under the title, maybe with the occasion: （2022年10月16日）, 2021 年 11 月,
#: （2021年3月11日第十三届全国人民代表大会第四次会议通过）, 2022年10月28日在…会议上.
DATELINE = re.compile(
    rf"^[（(【\[—\-－―\s]*(?P<date>{DATE_ANY})(?:[^。，；！？,;]{{0,50}}(?:通过|批准|发布|印发|公布|修订|修正|会议上|"
    rf"大会上|全会上|上的?讲话|上的?报告))?\s*[）)】\]]?\s*$")
#: The 落款 date: alone on a line, or after the issuing body's name, or the 版记's …2019年3月15日印发.
SIGNATURE_DATE = re.compile(
    rf"^(?:[\u4e00-\u9fff（）()、]{{2,40}}\s*)?[（(]?(?P<date>{DATE_DAY})[）)]?\s*(?:印发|发布|公布)?$")
#: An opening that dates the event it reports: 2019年5月26日，… / 2018年10月9日至11日，…
EVENT_OPENING = re.compile(rf"^(?P<date>{DATE_DAY})(?:\s*[至到\-－—~～]\s*\d{{1,2}}\s*日?)?(?:上午|下午|晚上?)?\s*[，,]")
#: A heading line that dates the event it names: 2015年11月26日外交部发言人洪磊主持例行记者会 (no clause after it,
#: no deadline: 2025年6月30日前完成… is a target).
EVENT_HEADING = re.compile(rf"^(?P<date>{DATE_DAY})(?:上午|下午|晚上?)?\s*(?![前起以之后])[\u4e00-\u9fff][^。！？；;，,：:]{{3,40}}$")
#: 2月26日, also as a PDF sets its digits apart (2 月 26 日); never the month and day of a full date (2026 年 2 月 3 日).
MONTH_DAY = re.compile(r"(?<![\d年])(?<![\d年]\s)(\d{1,2})\s*月\s*(\d{1,2})\s*日")
#: What joins the two ends of a period (5月22日至5月26日, 5月22日－26日).
RANGE_MARKS = "到至—-~～－–〜"
YEAR = re.compile(r"(?<![\d到至—\-~～])((?:19[4-9]|20[0-9])\d)\s*年(?!代)")
#: A year the text dates an event to the month with (2020年12月重新调整了…).
EVENT_MONTH = re.compile(rf"(?<![\d到至—\-~～])((?:19[4-9]|20[0-9])\d)\s*年\s*{_NUM}\s*月")
#: A year the text plans its present work for (2021年全市统战工作要点, 2024年政府工作任务).
PLAN_YEAR = re.compile(r"(?<![\d到至—\-~～])((?:19[4-9]|20[0-9])\d)\s*年(?!度?[前底末])[^，。；、\n\d]{0,12}?(?:工作要点|工作任务|"
                       r"工作安排|工作计划|工作部署|重点工作|工作总体部署|工作的总体要求|发展的?总体要求)")
#: Words that make the year after them a target or a deadline, not an event.
TARGET_BEFORE = re.compile(r"(?:到|至|截至|截止到?|力争|争取|预计|计划|展望|远景|目标|将于|拟于|将在|拟在)\s*$")
#: What after "YYYY年M月" makes it a deadline or a start date (…底前, …1日起).
TARGET_AFTER = re.compile(rf"^\s*(?:{_NUM}\s*日)?\s*(?:[上中下]旬)?\s*(?:前|底前|底|末|以前|之前|起|开始|实现|建成|达到|完成|"
                          rf"[－—\-~～至到])")
#: Titles a text cites (their years are theirs, not the text's).
CITED_TITLE = re.compile(r"《[^《》\n]{0,80}》")
#: A newspaper's print line ending the text: 《 人民日报 》（ 2020年02月24日 02 版）.
PRINT_LINE = re.compile(
    rf"《\s*(?P<paper>[^《》]{{2,12}}?)\s*》\s*[（(]\s*(?P<date>{DATE_DAY})\s*(?:第?\s*\d+\s*版)?\s*[）)]\s*$")
#: A news agency's dateline: 新华社北京2月23日电.
WIRE_DATELINE = re.compile(
    r"(?P<agency>新华社|中新社|中国新闻社|人民网|新华网|央视网|中央广播电视总台)(?P<place>[\u4e00-\u9fff]{2,6}?)"
    r"\d{1,2}月\d{1,2}日(?:电|讯)")
#: An endnote dating the speech or article: ※这是习近平总书记2020年9月28日在…的讲话.
ENDNOTE_DATE = re.compile(rf"※\s*(?:这是|本文是|此文是|以上是)[^※]{{0,20}}?(?P<date>{DATE_DAY})[^※]{{0,80}}?"
                          r"(?:讲话|发言|报告|致辞|谈话|文章)")
#: An opening naming the congress session a speech or report is given to, or that is its subject (a session's
#: resolution: 第十四届全国人民代表大会第三次会议听取和审议了…).
OCCASION = re.compile(r"(?:向|在)[^。！\n]{0,30}?(?:全国代表大会|全国人民代表大会|全国人大|全国委员会|全国政协)"
                      r"[^。！\n]{0,20}?(?:作报告|作工作报告|上|报告|提出)"
                      r"|^(?:中国人民政治协商会议)?第[^。，！\n]{1,4}届全国[^。，！\n]{2,10}第[^。，！\n]{1,3}次(?:全体)?会议"
                      r"|我们(?:这次)?第[^。，！\n]{1,4}届全国[^。，！\n]{2,10}第[^。，！\n]{1,3}次(?:全体)?会议"
                      r"|^(?:(?:同志们|各位代表)[！!：:，,]?\s*)?(?:中国共产党|党的)第[^。，！\n]{1,4}次全国代表大会")
#: A congress named without its session (向第五届全国人民代表大会作…报告): a report to its first session.
CONGRESS_TERM = re.compile(rf"(?:向|在)第?{_TERM}届全国(?:人民代表大会|人大|委员会|政协)(?:作|上)")
#: The outgoing central committee reports to the next congress: 我代表第十四届中央委员会向大会作报告.
OUTGOING_COMMITTEE = re.compile(rf"(?:代表|受)(?:中国共产党)?第?{_TERM}届中央委员会")
#: A report reviewing a past year, so dated the year after: 一、１９９６年国内工作的回顾; 首先报告２００１年的工作;
#: 刚刚过去的１９８４年; 一、2022年数字中国建设取得显著成效; 关于１９５５年国家决算.
REVIEW_YEAR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}[、.．]|[（(][一二三四五六七八九十]{1,2}[)）])?\s*(?P<y>(?:19|20)\d{2})\s*年(?:国内|全国)?的?"
    r"(?:工作|政府工作|经济社会发展|[^，。；\n]{0,12}工作)?的?回顾"
    r"|首先报告\s*(?P<y2>(?:19|20)\d{2})\s*年的?工作|刚刚过去的\s*(?P<y3>(?:19|20)\d{2})\s*年"
    r"|^(?:[一二三四五六七八九十]{1,2}[、.．])\s*(?P<y4>(?:19|20)\d{2})\s*年[^，。；\n]{0,16}取得了?(?:显著|明显|重大|积极|新的|"
    r"历史性|巨大)?(?:成效|成就|进展|成绩)"
    r"|关于\s*(?P<y5>(?:19|20)\d{2})\s*年(?:国家|中央)?(?:财政)?决算")
#: A heading that reviews "last year" (一、去年工作回顾); the year it names next is last year.
LAST_YEAR_HEADING = re.compile(r"去年[^，。；\n]{0,10}(?:回顾|工作)")
#: 去年/今年 with a stated year or session: 从去年９月第五届全国人民代表大会第三次会议到现在; 今年（2009年）.
NOW_OR_LAST = re.compile(r"(?P<when>去年|今年)(?:[（(]|是|即)?\s*(?:\d{1,2}\s*月份?\s*|[一二三四五六七八九十]{1,3}月份?)?(?P<what>(?:19|20)\d{2}\s*年(?!代)|第[^。，！\n]{1,4}届全国"
                         r"[^。，！\n]{2,10}第[^。，！\n]{1,3}次(?:全体)?会议)")
WRITTEN_LABEL = re.compile(r"成文日期\s*[:：]\s*")
#: The text saying when it takes effect, speaking of itself: 本办法自2022年4月1日起施行 (本条例…起实施, 本规定…生效).
EFFECTIVE = re.compile(rf"本(?:法|条例|规定|办法|细则|实施细则|决定|规则|解释|意见|通知|标准|准则|通则|章程|修正案|规范|制度)"
                       rf"(?:[^。；，,\n]{{0,12}})?自\s*(?P<date>{DATE_DAY})\s*起?\s*(?:施行|实施|生效|执行)")

# ----------------------------------------------------------------------------------------- broken lines, footers
#: A line ending in one of these is continued by the next line.
OPENING_MARKS = "《“‘（(【[「『〈"
#: A line starting with one of these continues the line before.
CLOSING_MARKS = "》”’）)】]」』〉，。、；：！？,;:!?"
#: Longest link text that a chain of broken lines may hold on a line of its own.
LINK_TEXT_MAX = 40
#: A licence footer starts at a line stating the licence of "this work" and lies within the last lines.
LICENCE_START = re.compile(
    r"^(?:本作品|此作品|该作品|这部作品|本文(?:档|本)?(?:采用|以|依据)|本页面?(?:最后|内容)|文本(?:采用|可在)|"
    r"取自[“\"]?https?://|Public domain|Creative Commons|CC[- ]BY|GNU Free Documentation)", re.I)
#: What a wiki's or an archive's licence template says of a work's status (公有领域, 许可协议, 不适用于著作权法…):
#: copyright alone (著作权, 版权, 授权) is what a document says of its own terms too (征文's 本作品一经投稿，著作权归
#: 主办方所有, with its contacts and 落款 after it).
LICENCE_TERMS = re.compile(r"公有[领領]域|公共[领領]域|[许許]可[协協]议|知[识識]共享|身份不明|维基|維基|不[适適]用于?[^。]{0,8}著作[权權]"
                           r"|Creative Commons|Public domain|GFDL|CC[- ]BY", re.I)
FOOTER_MAX_LINES = 40
FOOTER_WINDOW = 300
FOOTER_MAX_CHARS = 3000
#: Template residue left after a page's text (a licence template's name and flags, footnote arrows).
FOOTER_RESIDUE = re.compile(r"^(?:Public domain|PD-\S+|false|true|↑|\^|\[\d{1,3}\])$", re.I)

# ----------------------------------------------------------------------------------------- titles
#: The bracketed remarks that may follow a title's type word: （试行）（征求意见稿）.
_TITLE_REMARKS = r"(?:\s*[（(][^（()）]{1,20}[)）])*$"
#: Document-type words a title ends with (a bracketed remark may follow).
TITLE_DOC_END = re.compile(
    r"(?:工作总结|总结|报告|讲话|致辞|贺词|通知|通报|意见|决定|决议|办法|方案|规划|计划|纲要|条例|规定|规则|细则|批复|"
    r"复函|函|简介|纪要|要点|指南|指引|规范|标准|清单|名单|目录|公告|通告|公报|请示|议案|倡议|建议|白皮书|守则|章程|"
    r"答复|回信|贺信|书|发言|演讲|(?<![代发])表)" + _TITLE_REMARKS)
#: A 公示 ends a title too where its lines are joined (任前公示): not a type word of TITLE_DOC_END, where it would
#: end a title at a body named …人员公示 over 的公告.
TITLE_NOTICE_END = re.compile(r"公示" + _TITLE_REMARKS)
#: Kinds of public body named by what their names end in, beyond 部, 委, 局, 院 …: a customs office, the 队 of a
#: survey or a police force, a 所 or 站 of a bureau, a party school, an archive. Each with the word before it: a
#: caption or a list of places (文明实践站, 图书馆) is no issuer.
BODY_KINDS = (r"海关|(?:调查|总|支|大)队|(?:研究|派出|管理|事务|测绘|检验|检测)所|(?:监测|水文|气象|工作|管理|检查|检验|检测)站"
              r"|党校|档案馆")
#: An issuing body's name (a title never is only that).
OFFICE_NAME = re.compile(r"^[\u4e00-\u9fff（）()、“”]{2,44}(?:部|委|办公厅|办公室|政府|委员会|联合会|局|厅|院|署|办|社|"
                         r"中心|(?<!公)司|处|调查队|调查总队)$")
#: Remarks in brackets that belong to the title above them: （征求意见稿）, （2021 版）, （第八版）, （2021-2025 年）.
TITLE_REMARK = re.compile(
    r"^(?:[（(]\s*(?:[^（()）]{0,12}(?:征求意见稿|试行|暂行|草案|送审稿|修订稿|修订|摘要|节选|全文|讨论稿)|"
    r"\d{4}\s*年?\s*版|第\s*[一二三四五六七八九十\d]{1,3}\s*版|\d{4}\s*年?\s*[-—–~～至]\s*\d{4}\s*年?|\d{4}\s*年)\s*[)）]\s*)+$")
#: A notice's attachment label (附件：…, 附件1：, 附件3:), which stands over an attachment's title or between a
#: notice's text and its 落款.
ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*\d*\s*[:：.．、]?")
#: A labelled line a notice ends its text with before it signs (监督电话：…, 联系地址：…, 邮政编码：330009).
FIELD_LINE = re.compile(r"^[\u4e00-\u9fff]{2,8}\s*[:：]\s*\S")
#: The rest of a title wrapped onto the next line after a conjunction: 公安机关…体能测评标准 / 及实施规范.
TITLE_CONJUNCTION = re.compile(r"^(?:及|和|与|暨|以及|并|或)[\u4e00-\u9fff]")
#: A line naming the part of a document set under its title: 编制说明, 起草说明 (…（征求意见稿）编制说明).
TITLE_PART = re.compile(r"^(?:[（(]?(?:征求意见稿|送审稿|报批稿)[)）]?)?(?:编制说明|起草说明|修订说明|制定说明|编写说明|"
                        r"政策解读|解读)(?:[（(][^（()）]{1,12}[)）])*$")
#: A subtitle line: ——在…上的报告.
SUBTITLE = re.compile(r"^[—－―]{1,2}\s*[^。；！？]{2,58}$")
DOC_NUMBER_LINE = re.compile(
    r"^[（(【]?\s*(?:[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*号|国令第\s*\d+\s*号"
    r"|[\u4e00-\u9fff、]{2,40}令\s*第\s*[\d一二三四五六七八九十百零〇]{1,6}\s*号)"
    r"\s*[)）】]?$")
#: An addressee or salutation line: 各位代表：, 各省、自治区、直辖市人民政府，国务院各部委：
ADDRESSEE = re.compile(r"^(?!.*(?:如下|下列|以下|包括|主要有))[^。！？；]{2,80}[:：]$")
#: An author line: 习 近 平, 国务院总理 李强, 国家发展和改革委员会主任 何立峰.
AUTHOR_LINE = re.compile(
    r"^(?:[\u4e00-\u9fff](?:\s+[\u4e00-\u9fff]){1,3}|[\u4e00-\u9fff]{0,20}(?:总理|主任|部长|书记|主席|委员长|院长|局长|"
    r"市长|省长|秘书长)(?:\s+[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3})?)$")
#: Lines that are never a title: contents, labels, attachments, numbered sub-items.
NOT_TITLE = re.compile(r"^(?:[、，。；：,.;:]|目\s*录|前\s*言|摘\s*要|附\s*件|附\s*表|附\s*录|专栏|说明|序号|联系方式|联系人|"
                       r"\d+(?:\.\d+)+|[(（]?[A-Za-z][)）.．])|\.{4,}|…{3,}")
#: Clause punctuation a title line does not hold (a sentence wrapped onto the next line does).
TITLE_INNER_STOPS = "。；;！!？?，,"
CLOSING_BRACKETS = "》”’）)】]」』〉"
#: Where a derived title may end: after a clause.
CLAUSE_MARKS = "，,；;：:"
#: A bracketed date also ends a unit a title may end with: …的讲话（2018年2月12日）.
BRACKET_DATE = re.compile(rf"[（(]\s*(?:{DATE_DAY})[^（()）]{{0,12}}[)）]")
SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]?")
#: A salutation or a bracketed remark opening the first line (同志们：, 北京科技大学新疆籍毕业生们：, (译自…)).
LEAD_ADDRESS = re.compile(
    r"^(?:[（(][^（()）]{1,40}[)）]\s*"
    r"|(?:新华社|中新社|人民网|新华网|央视网)[\u4e00-\u9fff]{2,6}?\d{1,2}月\d{1,2}日电\s*"
    r"|[^。！？:：]{0,80}?(?:们|代表|同志|朋友|来宾|先生|女士|同事|阁下|单位|部门|机构|政府|公司|大学|学院|学校|委员|同学|"
    r"同胞|老师|青年|大家|学生|官兵|战士|队员|党员|乡亲)[:：]\s*)")
#: Opening clauses that say when, not what (近日，/ 2019年5月26日，).
LEAD_FILLER = re.compile(r"^(?:近日|日前|当前|目前|今天|今日|现在|近年来|近期|今年以来|多年来|长期以来|同时|此外|首先|"
                         r"(?:(?:19|20)\d{2}\s*年)?\s*\d{1,2}\s*月\s*\d{1,2}\s*日?(?:\s*[至到\-－—~～]\s*\d{1,2}\s*日?)?"
                         r"(?:上午|下午|晚上?)?|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|[（(][^（()）]{1,30}[)）])$")
TITLE_MIN = 6
TITLE_TARGET = 36
TITLE_MAX = 100
#: A text is hard-wrapped when at least this share of its lines (of at least WRAP_MIN_LINES) has one length.
WRAP_MIN_SHARE = 0.3
WRAP_MIN_LINES = 20
WRAP_MIN_WIDTH = 15
#: What the last line of a complete document ends with (a sentence, or a closing bracket or quote after one).
DOCUMENT_END = "。！？!?”」』）)"
#: An issuing body's name on a line of its own above the 落款 date: what the names of public bodies end in.
_OFFICE_END = r"(?:部|委|办公厅|办公室|政府|委员会|联合会|局|厅|院|会|联|社|组|署|办|中心|司|处|" + BODY_KINDS + r")"
#: Its other name in brackets after it, as bodies that share an office sign (县委统战部（县民族宗教事务局）,
#: 计算机与通信工程学院（电子信息工程学院）).
OFFICE_LINE = re.compile(r"^(?!图为|图：|图:)[\u4e00-\u9fff（）()、“”\s]{2,44}" + _OFFICE_END
                         + r"(?:[（(][\u4e00-\u9fff、]{2,30}" + _OFFICE_END + r"[)）])?$")

# ----------------------------------------------------------------------------------------- regions
#: What follows 省/市/县 (placed right after that character) when it names one of a text's own bodies (省委,
#: 市工业和信息化局): the character stands at the start of the text or after punctuation or white space — a negative
#: lookbehind over two characters, the one before and 省/市/县 itself, which holds at the text's start too. Each
#: branch of a pattern using it begins with its character: a pattern whose every branch begins with a literal is
#: scanned for its first characters only, where one lookbehind in front made ``re`` try every branch at every
#: position.
_OWN_BODY = r"(?<![^，。、；：“（\s][省市县])(?:委|政府|人民政府|[\u4e00-\u9fff]{1,10}?(?:局|厅))"
#: Words a text uses for its own locality, and its own bodies named without a place (省委, 市工业和信息化局);
#: a central text speaks of 全国 and 我国 instead.
LOCAL_VIEW = re.compile(r"我省|全省(?!份)|本省|我市|全市(?!场)|本市(?!场)|我区(?!域)|全区(?!域)|我县|全县|本县|我州|全州|"
                        rf"我盟|我旗|全旗|全镇|我镇|省{_OWN_BODY}|市(?!场){_OWN_BODY}|县{_OWN_BODY}")
#: The part of LOCAL_VIEW that speaks for a city or county (a provincial text names its capital, but is not
#: the capital's).
CITY_VIEW = re.compile(r"我市|全市(?!场)|本市(?!场)|我区(?!域)|全区(?!域)|我县|全县|本县|我州|全州|我盟|我旗|全旗|全镇|我镇|"
                       rf"市(?!场){_OWN_BODY}|县{_OWN_BODY}")
NATIONAL_VIEW = re.compile(r"我国|全国|各地|各省|党中央")
#: Sentences in which a central body says it is the author: 我代表国务院, 我代表第十九届中央委员会.
CENTRAL_SELF = re.compile(r"我(?:受国务院的?委托|代表(?:国务院|中央人民政府|中共中央|党中央|(?:中国共产党)?第[^，。]{1,4}届"
                          r"中央委员会))")
#: Who a text says interprets it: 本办法由工业和信息化部负责解释, 最终解释权归中国气象局预报与网络司.
INTERPRETED_BY = re.compile(r"(?:本(?:办法|规定|规范|细则|实施细则|意见|通知|指南|方案|标准|要点|计划|规划|条例|规则|政策|措施|"
                            r"要求|指引|目录|清单|倡议)(?:[^，。由]{0,10})?由|最终解释权(?:归|属于?)|解释权(?:归|属于?))"
                            r"(?P<who>[^，。；]{2,40}?)(?:负责|解释|所有|[。；]|$)")
#: An addressee line naming every province: the text comes from a central body.
TO_ALL_PROVINCES = re.compile(r"^(?:各)?省、\s*自治区、\s*直辖市|^各省(?:（区、市）|\(区、市\)|区市|级)|^各省、市、自治区")
#: In a title, a place after one of these is whom it is addressed to or about, not where it is from.
TITLE_OBJECT_MARK = re.compile(r"告|致|给|对|向|与|同|赴|支援|援助|帮扶")
#: A text is national when it speaks of 我国/全国 at least this many times as often as of its locality.
NATIONAL_OVER_LOCAL = 3
#: What ends a paragraph (a line ending in ，or 、 runs on); closing quotes after it are looked through.
PARAGRAPH_END = "。！？!?；;：:…"
#: How many characters a hard-wrapped paragraph's first line may be indented by.
WRAP_INDENT = 2
