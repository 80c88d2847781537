namespace Switchboard.Portal;

/// <summary>The portal's own words in English, Filipino and Simplified Chinese; anything missing falls back to English.</summary>
internal static class Strings
{
    private static readonly Dictionary<string, Dictionary<string, string>> Table = new(StringComparer.Ordinal)
    {
        ["fil"] = new(StringComparer.Ordinal)
        {
            ["Knowledge base"] = "Kaalaman",
            ["FAQ"] = "Mga madalas itanong",
            ["Forum"] = "Forum",
            ["Feedback"] = "Mungkahi",
            ["My tickets"] = "Aking mga tiket",
            ["Sign in"] = "Mag-sign in",
            ["Sign up"] = "Mag-sign up",
            ["Sign out"] = "Mag-sign out",
            ["Search the knowledge base"] = "Maghanap sa kaalaman",
            ["How do I…"] = "Paano ko…",
            ["How can we help?"] = "Paano kami makakatulong?",
            ["Browse by topic"] = "Mag-browse ayon sa paksa",
            ["Popular articles"] = "Mga sikat na artikulo",
            ["Was this helpful?"] = "Nakatulong ba ito?",
            ["Yes"] = "Oo",
            ["No"] = "Hindi",
            ["Comment (optional)"] = "Komento (opsyonal)",
            ["Related articles"] = "Mga kaugnay na artikulo",
            ["Home"] = "Simula",
        },
        ["zh-Hans"] = new(StringComparer.Ordinal)
        {
            ["Knowledge base"] = "知识库",
            ["FAQ"] = "常见问题",
            ["Forum"] = "论坛",
            ["Feedback"] = "反馈与建议",
            ["My tickets"] = "我的工单",
            ["Sign in"] = "登录",
            ["Sign up"] = "注册",
            ["Sign out"] = "退出",
            ["Search the knowledge base"] = "搜索知识库",
            ["How do I…"] = "我该如何……",
            ["How can we help?"] = "我们能帮您什么？",
            ["Browse by topic"] = "按主题浏览",
            ["Popular articles"] = "热门文章",
            ["Was this helpful?"] = "这篇文章有帮助吗？",
            ["Yes"] = "有",
            ["No"] = "没有",
            ["Comment (optional)"] = "评论（可选）",
            ["Related articles"] = "相关文章",
            ["Home"] = "首页",
        },
    };

    public static string Get(string language, string english) =>
        Table.TryGetValue(language, out var words) && words.TryGetValue(english, out var word) ? word : english;
}
