using System.Globalization;

namespace Switchboard.Portal;

/// <summary>
/// The portal's own words (pages and the mail it sends customers) in English, Filipino and
/// Simplified Chinese, keyed by the English text; anything missing falls back to English.
/// Texts with {0}, {1}… are format strings.
/// </summary>
internal static class Strings
{
    private static readonly Dictionary<string, (string Fil, string Zh)> Table = new(StringComparer.Ordinal)
    {
        // Layout and home
        ["Knowledge base"] = ("Kaalaman", "知识库"),
        ["FAQ"] = ("Mga madalas itanong", "常见问题"),
        ["Forum"] = ("Forum", "论坛"),
        ["Feedback"] = ("Mungkahi", "反馈与建议"),
        ["My tickets"] = ("Aking mga tiket", "我的工单"),
        ["Profile"] = ("Profile", "个人资料"),
        ["Sign in"] = ("Mag-sign in", "登录"),
        ["Sign up"] = ("Mag-sign up", "注册"),
        ["Sign out"] = ("Mag-sign out", "退出"),
        ["Language"] = ("Wika", "语言"),
        ["Search the knowledge base"] = ("Maghanap sa kaalaman", "搜索知识库"),
        ["How do I…"] = ("Paano ko…", "我该如何……"),
        ["How can we help?"] = ("Paano kami makakatulong?", "我们能帮您什么？"),
        ["Browse by topic"] = ("Mag-browse ayon sa paksa", "按主题浏览"),
        ["Popular articles"] = ("Mga sikat na artikulo", "热门文章"),
        ["Was this helpful?"] = ("Nakatulong ba ito?", "这篇文章有帮助吗？"),
        ["Yes"] = ("Oo", "有"),
        ["No"] = ("Hindi", "没有"),
        ["Comment (optional)"] = ("Komento (opsyonal)", "评论（可选）"),
        ["Related articles"] = ("Mga kaugnay na artikulo", "相关文章"),
        ["Home"] = ("Simula", "首页"),
        ["Breadcrumb"] = ("Kinaroroonan", "当前位置"),
        ["Answers, guides and support from {0}."] = ("Mga sagot, gabay at suporta mula sa {0}.", "来自{0}的解答、指南与支持。"),
        ["Didn't find it?"] = ("Hindi mo nahanap?", "没有找到？"),
        ["Ask us"] = ("Magtanong sa amin", "向我们提问"),
        ["ask us"] = ("magtanong sa amin", "向我们提问"),
        ["or"] = ("o", "或"),
        ["ask the community"] = ("magtanong sa komunidad", "向社区提问"),
        ["Updated {0}"] = ("Na-update {0}", "更新于 {0}"),
        ["{0} views"] = ("{0} pagtingin", "{0} 次浏览"),
        ["Thank you for your feedback."] = ("Salamat sa iyong puna.", "感谢您的反馈。"),

        // Search
        ["Search: {0}"] = ("Paghahanap: {0}", "搜索：{0}"),
        ["Type a few words to search the knowledge base."] = ("Mag-type ng ilang salita para maghanap sa kaalaman.", "输入几个词来搜索知识库。"),
        ["No articles match “{0}”. Try other words, or"] = ("Walang artikulong tugma sa “{0}”. Subukan ang ibang salita, o", "没有与“{0}”匹配的文章。请换个说法，或"),

        // Errors
        ["Not found"] = ("Hindi nahanap", "未找到"),
        ["This page does not exist or you do not have access to it."] = ("Wala ang pahinang ito o wala kang pahintulot na makita ito.", "此页面不存在，或您无权访问。"),
        ["Back to the help center"] = ("Bumalik sa help center", "返回帮助中心"),
        ["Something went wrong"] = ("May nagkaproblema", "出错了"),
        ["This page could not be shown. Please try again in a moment."] = ("Hindi maipakita ang pahinang ito. Subukang muli maya-maya.", "无法显示此页面。请稍后再试。"),
        ["Too many requests"] = ("Napakaraming kahilingan", "请求过多"),
        ["You sent too many requests in a short time. Wait a minute and try again."] = ("Masyadong marami ang ipinadala mo sa maikling panahon. Maghintay ng isang minuto at subukang muli.", "您在短时间内发送了太多请求。请稍等一分钟再试。"),
        ["The form expired. Please go back, reload the page and send it again."] = ("Nag-expire ang form. Bumalik, i-reload ang pahina at ipadala itong muli.", "表单已过期。请返回、刷新页面后重新提交。"),

        // Accounts
        ["Create an account"] = ("Gumawa ng account", "创建账户"),
        ["Reset your password"] = ("I-reset ang iyong password", "重置密码"),
        ["Choose a new password"] = ("Pumili ng bagong password", "设置新密码"),
        ["Your name"] = ("Iyong pangalan", "您的姓名"),
        ["Email"] = ("Email", "电子邮箱"),
        ["Password"] = ("Password", "密码"),
        ["Create account"] = ("Gumawa ng account", "创建账户"),
        ["Already have an account?"] = ("May account ka na?", "已有账户？"),
        ["Forgot your password?"] = ("Nakalimutan ang password?", "忘记密码？"),
        ["Send a reset link"] = ("Ipadala ang link sa pag-reset", "发送重置链接"),
        ["New password"] = ("Bagong password", "新密码"),
        ["Set password"] = ("Itakda ang password", "设置密码"),
        ["Please tell us your name (up to 200 characters)."] = ("Pakisabi ang iyong pangalan (hanggang 200 character).", "请填写您的姓名（最多 200 个字符）。"),
        ["The password must have {0} to 200 characters."] = ("Ang password ay dapat may {0} hanggang 200 character.", "密码长度须为 {0} 到 200 个字符。"),
        ["Sign-up is not available"] = ("Hindi pa maaaring mag-sign up", "暂时无法注册"),
        ["This help center cannot send email yet, so accounts cannot be confirmed. Please contact us another way."] =
            ("Hindi pa makapagpadala ng email ang help center na ito, kaya hindi makukumpirma ang mga account. Makipag-ugnayan sa amin sa ibang paraan.", "本帮助中心暂时无法发送邮件，因此无法确认账户。请通过其他方式联系我们。"),
        ["Check your email"] = ("Tingnan ang iyong email", "请查收邮件"),
        ["We sent a message to {0}. Open the link in it to confirm your address and finish signing up."] =
            ("Nagpadala kami ng mensahe sa {0}. Buksan ang link dito para kumpirmahin ang iyong address at tapusin ang pag-sign up.", "我们已向 {0} 发送了一封邮件。请打开其中的链接确认邮箱并完成注册。"),
        ["This link does not work"] = ("Hindi gumagana ang link na ito", "此链接无效"),
        ["The confirmation link has expired or was already used. Sign in to get a new one."] =
            ("Nag-expire na o nagamit na ang link ng kumpirmasyon. Mag-sign in para makakuha ng bago.", "确认链接已过期或已被使用。请登录以获取新链接。"),
        ["The email address or password is not right."] = ("Mali ang email address o password.", "邮箱或密码不正确。"),
        ["Too many failed attempts. Try again later, or reset your password."] =
            ("Napakaraming maling pagsubok. Subukang muli mamaya, o i-reset ang iyong password.", "失败次数过多。请稍后再试，或重置密码。"),
        ["Please confirm your email address first: we sent you a new link."] =
            ("Kumpirmahin muna ang iyong email address: nagpadala kami ng bagong link.", "请先确认您的邮箱：我们已向您发送了新链接。"),
        ["If an account exists for that address, we sent it a link to choose a new password."] =
            ("Kung may account ang address na iyon, pinadalhan namin ito ng link para pumili ng bagong password.", "如果该邮箱有账户，我们已向其发送设置新密码的链接。"),
        ["The reset link has expired or was already used. Ask for a new one."] =
            ("Nag-expire na o nagamit na ang link sa pag-reset. Humingi ng bago.", "重置链接已过期或已被使用。请重新申请。"),
        ["Password changed"] = ("Napalitan ang password", "密码已更改"),
        ["Your password is changed, and other sessions were signed out."] =
            ("Napalitan na ang iyong password, at na-sign out ang ibang mga session.", "您的密码已更改，其他会话已退出登录。"),
        ["{0} is not a valid email address."] = ("Ang {0} ay hindi wastong email address.", "{0} 不是有效的电子邮箱地址。"),
        ["{0}: you already have an account"] = ("{0}: may account ka na", "{0}：您已有账户"),
        ["Someone asked to create an account with this address, which already has one.\n\nSign in: {0}\nForgot your password? {1}\n\nIf this was not you, you can ignore this message."] =
            ("May humiling na gumawa ng account gamit ang address na ito, na may account na.\n\nMag-sign in: {0}\nNakalimutan ang password? {1}\n\nKung hindi ikaw ito, maaari mong balewalain ang mensaheng ito.",
             "有人尝试用此邮箱创建账户，但该邮箱已有账户。\n\n登录：{0}\n忘记密码？{1}\n\n如果不是您本人操作，请忽略此邮件。"),
        ["{0}: confirm your email address"] = ("{0}: kumpirmahin ang iyong email address", "{0}：请确认您的邮箱"),
        ["Hello {0},\n\nConfirm your address to finish creating your account:\n{1}\n\nThe link works once, for {2} hours. If you did not sign up, ignore this message."] =
            ("Kumusta {0},\n\nKumpirmahin ang iyong address para matapos ang paggawa ng account:\n{1}\n\nIsang beses lang gumagana ang link, sa loob ng {2} oras. Kung hindi ka nag-sign up, balewalain ang mensaheng ito.",
             "{0}，您好：\n\n请确认您的邮箱以完成账户创建：\n{1}\n\n此链接只能使用一次，{2} 小时内有效。如果您没有注册，请忽略此邮件。"),
        ["Confirm your address to finish creating your account:\n{0}"] =
            ("Kumpirmahin ang iyong address para matapos ang paggawa ng account:\n{0}", "请确认您的邮箱以完成账户创建：\n{0}"),
        ["{0}: reset your password"] = ("{0}: i-reset ang iyong password", "{0}：重置密码"),
        ["Hello {0},\n\nChoose a new password here:\n{1}\n\nThe link works once, for {2} minutes. If you did not ask for this, ignore this message."] =
            ("Kumusta {0},\n\nPumili ng bagong password dito:\n{1}\n\nIsang beses lang gumagana ang link, sa loob ng {2} minuto. Kung hindi mo ito hiniling, balewalain ang mensaheng ito.",
             "{0}，您好：\n\n请在此设置新密码：\n{1}\n\n此链接只能使用一次，{2} 分钟内有效。如果您没有申请，请忽略此邮件。"),

        // Profile
        ["Your profile"] = ("Iyong profile", "您的个人资料"),
        ["Name"] = ("Pangalan", "姓名"),
        ["Preferred language"] = ("Gustong wika", "首选语言"),
        ["Used for these pages and for the email we send you."] = ("Ginagamit sa mga pahinang ito at sa mga email na ipinapadala namin sa iyo.", "用于本网站页面以及我们发给您的邮件。"),
        ["Save"] = ("I-save", "保存"),
        ["Your profile is saved."] = ("Na-save ang iyong profile.", "您的个人资料已保存。"),
        ["Choose one of the languages offered."] = ("Pumili ng isa sa mga inaalok na wika.", "请从提供的语言中选择一种。"),
        ["Change password"] = ("Palitan ang password", "更改密码"),
        ["Current password"] = ("Kasalukuyang password", "当前密码"),
        ["The current password is not right."] = ("Mali ang kasalukuyang password.", "当前密码不正确。"),
        ["Your password is changed; other sessions were signed out."] =
            ("Napalitan na ang iyong password; na-sign out ang ibang mga session.", "您的密码已更改；其他会话已退出登录。"),
        ["Email address"] = ("Email address", "电子邮箱"),
        ["Change email address"] = ("Palitan ang email address", "更改邮箱"),
        ["New email address"] = ("Bagong email address", "新邮箱"),
        ["We send a link to the new address; the change takes effect when you open it."] =
            ("Magpapadala kami ng link sa bagong address; magkakabisa ang pagbabago kapag binuksan mo ito.", "我们会向新邮箱发送链接；打开链接后更改才会生效。"),
        ["We sent a link to {0}. Open it to start using that address."] =
            ("Nagpadala kami ng link sa {0}. Buksan ito para simulang gamitin ang address na iyon.", "我们已向 {0} 发送链接。打开链接即可开始使用该邮箱。"),
        ["That is already your email address."] = ("Iyan na ang iyong email address.", "这已经是您的邮箱。"),
        ["Your email address is now {0}."] = ("Ang iyong email address ay {0} na ngayon.", "您的邮箱已更改为 {0}。"),
        ["This address is used by another account, so it cannot be yours."] =
            ("Ginagamit ng ibang account ang address na ito, kaya hindi ito maaaring maging iyo.", "此邮箱已被其他账户使用，无法更改为此邮箱。"),
        ["The link has expired or was already used. Ask for a new one from your profile."] =
            ("Nag-expire na o nagamit na ang link. Humingi ng bago mula sa iyong profile.", "链接已过期或已被使用。请在个人资料页重新申请。"),
        ["We already know this address as another customer's. Contact us and we will join the two."] =
            ("Kilala na namin ang address na ito bilang sa ibang customer. Makipag-ugnayan sa amin at pagsasamahin namin ang dalawa.", "此邮箱已属于另一位客户的记录。请联系我们，我们会将两者合并。"),
        ["How we know you"] = ("Paano ka namin nakikilala", "我们识别您的方式"),
        ["The addresses and numbers your requests reach us from."] =
            ("Ang mga address at numerong pinanggagalingan ng iyong mga kahilingan.", "您联系我们时使用的邮箱和号码。"),
        ["Phone"] = ("Telepono", "电话"),
        ["Chat"] = ("Chat", "在线聊天"),
        ["Social media"] = ("Social media", "社交媒体"),
        ["Other"] = ("Iba pa", "其他"),
        ["{0}: confirm your new email address"] = ("{0}: kumpirmahin ang iyong bagong email address", "{0}：请确认您的新邮箱"),
        ["Hello {0},\n\nConfirm this address to use it for your account:\n{1}\n\nThe link works for {2} hours. If you did not ask for this, ignore this message."] =
            ("Kumusta {0},\n\nKumpirmahin ang address na ito para gamitin sa iyong account:\n{1}\n\nGumagana ang link sa loob ng {2} oras. Kung hindi mo ito hiniling, balewalain ang mensaheng ito.",
             "{0}，您好：\n\n请确认此邮箱以用于您的账户：\n{1}\n\n此链接 {2} 小时内有效。如果您没有申请，请忽略此邮件。"),
        ["{0}: your email address was changed"] = ("{0}: napalitan ang iyong email address", "{0}：您的邮箱已更改"),
        ["Hello {0},\n\nYour account now signs in with {1}; mail goes there from now on. If you did not do this, contact us right away."] =
            ("Kumusta {0},\n\nNagsa-sign in na ngayon ang iyong account gamit ang {1}; doon na ipapadala ang mga email. Kung hindi ikaw ang gumawa nito, makipag-ugnayan agad sa amin.",
             "{0}，您好：\n\n您的账户现在使用 {1} 登录，今后的邮件将发送到该邮箱。如果这不是您本人操作，请立即联系我们。"),

        // Tickets
        ["New request"] = ("Bagong kahilingan", "新建请求"),
        ["You have no tickets yet."] = ("Wala ka pang mga tiket.", "您还没有工单。"),
        ["Subject"] = ("Paksa", "主题"),
        ["Status"] = ("Katayuan", "状态"),
        ["Channel"] = ("Channel", "渠道"),
        ["Updated"] = ("Na-update", "更新时间"),
        ["Status:"] = ("Katayuan:", "状态："),
        ["via {0}"] = ("sa pamamagitan ng {0}", "来自{0}"),
        ["opened {0} UTC"] = ("binuksan {0} UTC", "创建于 {0} UTC"),
        ["You"] = ("Ikaw", "您"),
        ["Reopen this ticket"] = ("Buksang muli ang tiket na ito", "重新打开此工单"),
        ["You rated this:"] = ("Ang iyong rating:", "您的评价："),
        ["How did we do?"] = ("Kumusta ang aming serbisyo?", "我们的服务如何？"),
        ["Good"] = ("Mabuti", "好"),
        ["Bad"] = ("Hindi mabuti", "差"),
        ["Your reply"] = ("Iyong sagot", "您的回复"),
        ["Send reply"] = ("Ipadala ang sagot", "发送回复"),
        ["Send"] = ("Ipadala", "发送"),
        ["Your address is confirmed and you are signed in."] = ("Nakumpirma na ang iyong address at naka-sign in ka na.", "您的邮箱已确认，您已登录。"),
        ["Write a reply of up to 20,000 characters."] = ("Sumulat ng sagot na hanggang 20,000 character.", "请填写回复（最多 20,000 个字符）。"),
        ["The ticket is open again; we will get back to you."] = ("Bukas na muli ang tiket; babalikan ka namin.", "工单已重新打开，我们会尽快回复您。"),
        ["Choose Good or Bad."] = ("Piliin ang Mabuti o Hindi mabuti.", "请选择“好”或“差”。"),
        ["A ticket can be rated once it is resolved."] = ("Maaaring i-rate ang tiket kapag nalutas na ito.", "工单解决后才能评价。"),
        ["Thank you for rating our help."] = ("Salamat sa pag-rate ng aming tulong.", "感谢您的评价。"),
        ["Give a subject (up to 500 characters) and a message (up to 20,000)."] =
            ("Maglagay ng paksa (hanggang 500 character) at mensahe (hanggang 20,000).", "请填写主题（最多 500 个字符）和内容（最多 20,000 个字符）。"),
        ["Received"] = ("Natanggap", "已收到"),
        ["Open"] = ("Bukas", "处理中"),
        ["Waiting for your reply"] = ("Naghihintay ng iyong sagot", "等待您的回复"),
        ["Answered"] = ("Nasagot", "已回复"),
        ["Resolved"] = ("Nalutas", "已解决"),
        ["Closed"] = ("Sarado", "已关闭"),
        ["SMS"] = ("SMS", "短信"),
        ["Contact form"] = ("Contact form", "联系表单"),
        ["Help center"] = ("Help center", "帮助中心"),
        ["API"] = ("API", "API"),
        ["Website"] = ("Website", "网站"),

        // Forum
        ["Community forum"] = ("Forum ng komunidad", "社区论坛"),
        ["Questions and answers from the {0} community."] = ("Mga tanong at sagot mula sa komunidad ng {0}.", "来自{0}社区的问答。"),
        ["{0} topics"] = ("{0} paksa", "{0} 个主题"),
        ["The forum has no categories yet."] = ("Wala pang mga kategorya ang forum.", "论坛还没有分类。"),
        ["Pinned"] = ("Naka-pin", "置顶"),
        ["Locked"] = ("Naka-lock", "已锁定"),
        ["{0} replies"] = ("{0} sagot", "{0} 条回复"),
        ["Start a topic"] = ("Magsimula ng paksa", "发起主题"),
        ["to post."] = ("para mag-post.", "后即可发帖。"),
        ["to reply."] = ("para sumagot.", "后即可回复。"),
        ["Title"] = ("Pamagat", "标题"),
        ["Your question"] = ("Iyong tanong", "您的问题"),
        ["Post topic"] = ("I-post ang paksa", "发布主题"),
        ["(staff)"] = ("(kawani)", "（工作人员）"),
        ["This topic is locked; no new replies."] = ("Naka-lock ang paksang ito; wala nang bagong sagot.", "此主题已锁定，不能再回复。"),
        ["This topic is locked."] = ("Naka-lock ang paksang ito.", "此主题已锁定。"),
        ["Reply"] = ("Sumagot", "回复"),
        ["Give a title (up to 300 characters) and your question (up to 20,000)."] =
            ("Maglagay ng pamagat (hanggang 300 character) at ng iyong tanong (hanggang 20,000).", "请填写标题（最多 300 个字符）和问题（最多 20,000 个字符）。"),
        ["Follow this topic"] = ("Sundan ang paksang ito", "关注此主题"),
        ["Stop following"] = ("Huwag nang sundan", "取消关注"),
        ["You follow this topic: we email you when someone replies."] =
            ("Sinusundan mo ang paksang ito: mag-e-email kami kapag may sumagot.", "您已关注此主题：有人回复时我们会发邮件通知您。"),
        ["You follow this topic."] = ("Sinusundan mo na ang paksang ito.", "您已关注此主题。"),
        ["You no longer follow this topic."] = ("Hindi mo na sinusundan ang paksang ito.", "您已取消关注此主题。"),
        ["Stop emails about this topic"] = ("Itigil ang mga email tungkol sa paksang ito", "不再接收此主题的邮件"),
        ["Stop emails about “{0}”?"] = ("Itigil ang mga email tungkol sa “{0}”?", "不再接收关于“{0}”的邮件？"),
        ["Unsubscribe"] = ("Mag-unsubscribe", "退订"),
        ["Unsubscribed"] = ("Na-unsubscribe", "已退订"),
        ["You will not get email about “{0}” anymore."] = ("Hindi ka na makakatanggap ng email tungkol sa “{0}”.", "您将不再收到关于“{0}”的邮件。"),
        ["This unsubscribe link does not work."] = ("Hindi gumagana ang link na ito sa pag-unsubscribe.", "此退订链接无效。"),
        ["{0}: new reply to “{1}”"] = ("{0}: bagong sagot sa “{1}”", "{0}：“{1}”有新回复"),
        ["Hello {0},\n\n{1} replied to “{2}”:\n\n{3}\n\nRead the topic: {4}\n\nStop emails about this topic: {5}"] =
            ("Kumusta {0},\n\nSumagot si {1} sa “{2}”:\n\n{3}\n\nBasahin ang paksa: {4}\n\nItigil ang mga email tungkol sa paksang ito: {5}",
             "{0}，您好：\n\n{1} 回复了“{2}”：\n\n{3}\n\n查看主题：{4}\n\n不再接收此主题的邮件：{5}"),

        // Feedback
        ["Feedback and suggestions"] = ("Mga puna at mungkahi", "反馈与建议"),
        ["Ideas from customers, with votes and their status."] = ("Mga ideya mula sa mga customer, kasama ang mga boto at katayuan.", "来自客户的想法，附投票数和状态。"),
        ["All"] = ("Lahat", "全部"),
        ["New"] = ("Bago", "新建"),
        ["Under review"] = ("Sinusuri", "审核中"),
        ["Planned"] = ("Nakaplano", "已计划"),
        ["Done"] = ("Tapos na", "已完成"),
        ["Declined"] = ("Tinanggihan", "已拒绝"),
        ["votes"] = ("boto", "票"),
        ["{0} comments"] = ("{0} komento", "{0} 条评论"),
        ["Suggest something"] = ("Magmungkahi", "提出建议"),
        ["to suggest, vote and comment."] = ("para magmungkahi, bumoto at magkomento.", "后即可提建议、投票和评论。"),
        ["to vote and comment."] = ("para bumoto at magkomento.", "后即可投票和评论。"),
        ["Idea"] = ("Ideya", "想法"),
        ["Details"] = ("Mga detalye", "详细说明"),
        ["Submit idea"] = ("Ipasa ang ideya", "提交想法"),
        ["by {0}"] = ("ni {0}", "由 {0} 提出"),
        ["Remove my vote"] = ("Alisin ang aking boto", "撤销我的投票"),
        ["Vote for this"] = ("Bumoto para dito", "为此投票"),
        ["Comments"] = ("Mga komento", "评论"),
        ["Comment"] = ("Magkomento", "评论"),
        ["Name your idea (up to 300 characters); details may have up to 20,000."] =
            ("Pangalanan ang iyong ideya (hanggang 300 character); ang mga detalye ay hanggang 20,000.", "请为您的想法命名（最多 300 个字符）；详细说明最多 20,000 个字符。"),
        ["Your vote is removed."] = ("Naalis na ang iyong boto.", "您的投票已撤销。"),
        ["You have already voted for this."] = ("Nakaboto ka na para dito.", "您已经投过票了。"),
        ["Thank you for your vote."] = ("Salamat sa iyong boto.", "感谢您的投票。"),
        ["Write a comment of up to 5,000 characters."] = ("Sumulat ng komentong hanggang 5,000 character.", "请填写评论（最多 5,000 个字符）。"),
        ["{0}: “{1}” is now {2}"] = ("{0}: “{1}” ay {2} na ngayon", "{0}：“{1}”现为{2}"),
        ["Hello {0},\n\nThe suggestion “{1}” is now: {2}.\n\n{3}\n\nYou get this because you suggested it or voted for it."] =
            ("Kumusta {0},\n\nAng mungkahing “{1}” ay ngayon: {2}.\n\n{3}\n\nNatanggap mo ito dahil ikaw ang nagmungkahi o bumoto para dito.",
             "{0}，您好：\n\n建议“{1}”的状态现为：{2}。\n\n{3}\n\n您收到此邮件，是因为您提出了或投票支持了这条建议。"),

        // FAQ
        ["Frequently asked questions"] = ("Mga madalas itanong", "常见问题"),
        ["Quick answers from {0}."] = ("Mabilis na sagot mula sa {0}.", "来自{0}的快速解答。"),
        ["No questions yet."] = ("Wala pang mga tanong.", "还没有问题。"),

        // Contact forms
        ["Leave this empty"] = ("Iwanang blangko", "请留空"),
        ["Send the form from its page."] = ("Ipadala ang form mula sa pahina nito.", "请从表单页面提交。"),
        ["The form could not be read; files may have at most {0} MB."] =
            ("Hindi mabasa ang form; ang mga file ay hanggang {0} MB lang.", "无法读取表单；文件最大 {0} MB。"),
        ["The form expired. Please send it again."] = ("Nag-expire ang form. Pakipadala itong muli.", "表单已过期，请重新提交。"),
        ["Thank you. We received your message and will answer by email."] =
            ("Salamat. Natanggap namin ang iyong mensahe at sasagot kami sa email.", "谢谢。我们已收到您的留言，将通过邮件回复您。"),
        ["{0} (Reference #{1})"] = ("{0} (Reference #{1})", "{0}（编号 #{1}）"),
        ["Please fill in: {0}."] = ("Pakipunan: {0}.", "请填写：{0}。"),
        ["Choose one of the options for {0}."] = ("Pumili ng isa sa mga opsyon para sa {0}.", "请为“{0}”选择一个选项。"),
        ["Please give a valid email address so we can answer you."] =
            ("Maglagay ng wastong email address para masagot ka namin.", "请填写有效的电子邮箱，以便我们回复您。"),
    };

    public static string Get(string language, string english)
    {
        if (language == "en" || !Table.TryGetValue(english, out var words)) return english;
        return language switch
        {
            "fil" => words.Fil,
            "zh-Hans" => words.Zh,
            _ => english,
        };
    }

    public static string Format(string language, string english, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(language, english), args);

    /// <summary>Every English text of the table, for the test that each has both translations.</summary>
    internal static IEnumerable<string> Keys => Table.Keys;
}
