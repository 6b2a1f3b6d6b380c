"""Data only: the patterns the cleaner, the metadata extractor and the sectioner use.

Keep logic out of this module. Each pattern names a *family* of noise (not one site's strings), so that a
new site with the same habits is handled without a new rule.
"""

from __future__ import annotations

import re

CN_NUM = "一二三四五六七八九十百零〇两"
_CN = f"[{CN_NUM}]+"

# ----------------------------------------------------------------------------------------- HTML structure
#: Containers that government and party CMSs put the article body in, most specific first.
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
    (re.compile(r"微信扫一扫|扫一扫在手机|扫一扫\s*(分享|打开)|打开微信.{0,12}扫一扫|分享按钮|手机扫描二维码|用微信扫描"), "share widget"),
    (re.compile(r"^\s*(分享到|分享至|分享)\s*[:：]?\s*$|^【?(打印本页|打印|关闭窗口|关闭|收藏|纠错|收听本文|返回顶部|TOP)】?\s*$"), "share/print widget"),
    (re.compile(r"分享到[:：]?\s*(微信|微博|QQ|空间)|【\s*打印\s*】|【\s*关闭\s*】|\[\s*打印\s*\]|\[\s*关闭\s*\]|关闭窗口"), "share/print widget"),
    (re.compile(r"字号\s*[:：]?\s*[【\[]?\s*大\s*中\s*小|【\s*字[号体]|字体\s*[:：]?\s*[【\[]?\s*大\s*中\s*小|^\s*\[?\s*大\s*中\s*小\s*\]?\s*$"), "font-size widget"),
    (re.compile(r"^(浏览|阅读|点击|访问)(次数|量|数)?\s*[:：]?\s*\d*\s*(次)?\s*$"), "view counter"),
    (re.compile(r"ICP\s*备|ICP证|公网安备|网安备\d|版权所有|Copyright|©|主办单位\s*[:：]|承办单位\s*[:：]|技术支持\s*[:：]|网站标识码|政府网站标识"), "footer"),
    (re.compile(r"^(网站地图|联系我们|关于我们|网站声明|隐私政策|使用帮助|设为首页|加入收藏)(\s*[|｜]\s*\S+)*\s*$"), "footer"),
    (re.compile(r"^(相关(链接|阅读|新闻|文章|稿件)|延伸阅读|推荐阅读|热点推荐|更多阅读|热词)\s*[:：]?\s*$"), "related links"),
    (re.compile(r"^(上一篇|下一篇|上一条|下一条)\s*[:：]"), "related links"),
    (re.compile(r"^【?(责任编辑|责编|编辑|校对|审核|审校|终审|初审)\s*[:：]\s*\S{1,20}】?\s*$"), "editor line"),
    (re.compile(r"^(点击(观看|查看)(视频|大图)|视频加载中|请使用.{0,10}浏览器)\S{0,10}$"), "media widget"),
]
#: Label lines whose content is metadata (removed from the text, parsed into fields).
META_LABEL = re.compile(
    r"(发布时间|发布日期|发文日期|更新时间|成文日期|时间|日期|来源|信息来源|文章来源|作者|编辑|责任编辑|浏览次数|"
    r"浏览|点击数|阅读|发文机关|发文字号|索引号|主题分类|主题词|标\s*题)\s*[:：]"
)

# ----------------------------------------------------------------------------------------- spam families
#: A contact channel (QQ, WeChat, phone) followed by an identifier: an advertisement, whatever else is said.
CONTACT_ID = re.compile(
    r"(QQ|qq|扣扣|微信|VX|vx|V信|wx|WX|威信|薇信|电话|手机|热线|联系方式)\s*(号码?|群号?)?\s*[:：]?\s*[A-Za-z_]?\d{5,12}"
    r"|(微信|VX|vx|V信|wx)\s*(号)?\s*[:：]\s*[A-Za-z][A-Za-z0-9_-]{4,19}"
)
#: Words that solicit, sell or guard paid material.
SOLICIT = re.compile(
    r"咨询|加我|联系我|私聊|详询|获取|领取|订阅|会员|VIP|vip|付费|收费|购买|售卖|代写|定制|整理|出品|"
    r"倒卖|外传|转载|侵权|后果自负|免费赠送|赠送|权益|资料|下载|积分|下载券|扫码|关注"
)
#: Spam phrases: (pattern, reason, strong). A strong phrase marks its line or clause as spam by itself; a
#: weak one only when the line or clause is short (real prose may say "可免费下载").
SPAM_PHRASE = [
    (re.compile(r"仅供(学习|参考|内部|个人)?(交流|学习|参考|使用)|禁止外传|严禁外传|用后删除|请勿外传|违者(必究|后果自负)"),
     "anti-resale notice", True),
    (re.compile(r"打击倒卖|倒卖(会员)?资料|举报倒卖|会员群|会员资料|会员材料|开通会员|VIP会员|成为会员|订阅立享|立享.{0,6}权益|所有权益"),
     "membership advertisement", True),
    (re.compile(r"免费\s*(QQ|qq|微信)\s*群|(QQ|qq|微信)\s*群\s*[:：]|加\s*(QQ|qq|微信|VX|vx)\b|(咨询|联系)\s*(QQ|qq|微信|VX|vx)"),
     "QQ/WeChat advertisement", True),
    (re.compile(r"本(文档|资料|文)(来自|来源于|转载自|收集于)(网络|互联网|用户)|如有侵权.{0,8}(联系|删除)|侵删|文档贡献者|"
                r"下载(后|即)可(编辑|修改|使用)|(可编辑|可修改)(版|word|Word|WORD)|word版(本)?下载|下载积分|下载券|"
                r"付费下载|原创力文档|道客巴巴|豆丁网|百度文库|book118|docin\.com|wenku\.|(此|本)文档可(编辑|下载)"),
     "document-sharing disclaimer", True),
    (re.compile(r"免费下载|点击下载|下载地址|更多(精品|优质)?(文档|范文|资料|精彩内容)|感谢(您的)?(阅读|下载|支持)|"
                r"欢迎(下载|阅读)|精品文档|专业文档|THANKS|Thanks for|关注.{0,8}公众号.{0,8}(获取|领取|下载)"),
     "document-sharing disclaimer", False),
    (re.compile(r"^第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页$|^\d+\s*/\s*\d+$|^-\s*\d+\s*-$"), "page footer", True),
]
#: Clauses shorter than this count as "short" for weak spam phrases.
SHORT_CLAUSE = 30
#: "<brand>整理/出品/制作，…": the brand then marks every other line it appears on.
BRAND = re.compile(r"^([\u4e00-\u9fffA-Za-z]{2,8})(整理|出品|制作|独家|原创|编辑整理|精编)")
#: A watermark is a short line repeated at least this many times.
WATERMARK_REPEATS = 3
WATERMARK_MAX_LEN = 40

# ----------------------------------------------------------------------------------------- damage
PINYIN_GLOSS = re.compile(
    r"(?<=[\u4e00-\u9fff])[(（]\s*([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]*|[a-zü]{1,6}[1-5])\s*[)）]"
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
    (r"批复", "批复"), (r"复函|函", "函"), (r"答复", "答复"), (r"公告|公示", "公告"), (r"纪要", "纪要"),
    (r"简介|概况|职能", "简介"), (r"会议|座谈会|研讨会|培训班|大会|论坛|会见|召开|举行", "会议"),
]
TITLE_DOC_SUFFIX = re.compile(
    r"(工作总结|总结|工作报告|报告|讲话|致辞|通知|意见|决定|决议|办法|方案|规划|条例|规定|批复|简介|纪要|要点|实施细则)$"
)
SALUTATION = re.compile(r"^(尊敬的|各位(领导|来宾|代表|委员)|同志们|女士们)")
NATIONAL_BODIES = re.compile(r"^(国务院|中共中央|中央|全国|新华社|人民日报|求是|新华网|央视|中国政府网|国家)")
DATE_LABEL = re.compile(r"(发布时间|发布日期|发文日期|日期|时间|更新时间)\s*[:：]\s*")
SOURCE_LABEL = re.compile(r"(?:信息来源|文章来源|来源)\s*[:：]\s*([^\s|｜]{2,40}?)(?=\s|$|[|｜]|发布|作者|编辑|浏览|时间|日期|点击)")
ISSUER_LABEL = re.compile(r"发文机关\s*[:：]\s*([^\s|｜]{2,60})")
DOCNUM_LABEL = re.compile(r"发文字号\s*[:：]\s*([^\s|｜]{2,40})")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d{1,4}\s*号|国令第\s*\d+\s*号")
