using System.Text;

namespace Switchboard.Bench;

/// <summary>
/// Word lists for the generated messages. Each language draws its words from a Zipf-like
/// distribution: a head of real, frequent words, and a long tail of rarer words that shows
/// up in a small share of tokens. That gives every language truly common, medium and rare
/// words, which is what full-text search cost depends on.
/// </summary>
internal sealed class Language
{
    private readonly string[] _head;
    private readonly double[] _headCdf;
    private readonly string[] _tail;
    private readonly double[] _tailCdf;
    private readonly double _tailShare;

    public Language(string code, bool spaced, string[] head, string[] tail, double tailShare)
    {
        Code = code;
        Spaced = spaced;
        _head = head;
        _tail = tail;
        _tailShare = tailShare;
        _headCdf = ZipfCdf(head.Length, 1.0);
        _tailCdf = ZipfCdf(tail.Length, 1.0);
    }

    public string Code { get; }

    /// <summary>False for Chinese: words run together and sentences end with full-width punctuation.</summary>
    public bool Spaced { get; }

    public string HeadWord(int rank) => _head[rank - 1];

    public string TailWord(int rank) => _tail[rank - 1];

    public string NextWord(Random random) =>
        random.NextDouble() < _tailShare ? _tail[Pick(_tailCdf, random)] : _head[Pick(_headCdf, random)];

    /// <summary>A text of about <paramref name="words"/> words, in sentences.</summary>
    public void AppendText(StringBuilder sb, Random random, int words)
    {
        var sentence = 0;
        for (var i = 0; i < words; i++)
        {
            var word = NextWord(random);
            if (Spaced)
            {
                if (sentence == 0)
                {
                    if (sb.Length > 0) sb.Append(' ');
                    sb.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
                }
                else
                {
                    sb.Append(' ').Append(word);
                }
            }
            else
            {
                sb.Append(word);
            }
            sentence++;
            if (sentence >= 6 && (random.Next(8) == 0 || i == words - 1))
            {
                sb.Append(Spaced ? (random.Next(6) == 0 ? "?" : ".") : (random.Next(6) == 0 ? "？" : "。"));
                sentence = 0;
            }
            else if (sentence >= 3 && random.Next(10) == 0)
            {
                sb.Append(Spaced ? "," : "，");
            }
        }
        if (sentence > 0) sb.Append(Spaced ? "." : "。");
    }

    private static double[] ZipfCdf(int n, double s)
    {
        var cdf = new double[n];
        var sum = 0.0;
        for (var r = 1; r <= n; r++)
        {
            sum += 1.0 / Math.Pow(r, s);
            cdf[r - 1] = sum;
        }
        for (var i = 0; i < n; i++) cdf[i] /= sum;
        return cdf;
    }

    private static int Pick(double[] cdf, Random random)
    {
        var index = Array.BinarySearch(cdf, random.NextDouble());
        if (index < 0) index = ~index;
        return Math.Min(index, cdf.Length - 1);
    }
}

internal static class Corpus
{
    public const int TailSize = 100_000;

    /// <summary>Roughly by frequency in support mail; the order is the Zipf rank.</summary>
    private const string EnglishHead = """
        the i to and you a my is for it your we of this in have please order on not that with can be
        thank was account but are me payment will at hi if refund as from do our us there help an
        issue just delivery still so when would received know team up any what been email support
        out please update or get has no here could all by app time item one since again customer
        days need able login password card number yesterday today now product again message back
        shipping address change service problem error charged invoice subscription cancel week
        status package tracking phone receipt store price request confirm working website screen
        replacement damaged missing wrong return box store discount coupon reset access locked
        download install version upgrade plan billing renewal trial credit bank transfer pending
        courier warehouse schedule appointment technician manager supervisor complaint feedback
        survey invoice quotation contract agreement warranty receipt serial model battery charger
        cable adapter screen keyboard printer router modem signal network outage maintenance
        migration backup restore certificate domain mailbox calendar license seat admin portal
        dashboard report export import integration webhook token sandbox latency timeout crash
        freeze sync duplicate attachment voucher loyalty points membership upgrade downgrade
        """;

    private const string FilipinoHead = """
        po ang ng sa na ko ako mo yung hindi pa lang ba naman kasi ay may para si kayo nyo ninyo
        salamat order bayad refund padala wala kailangan paki tulong account ulit pero kung dahil
        kahapon ngayon bukas araw linggo buwan tanong sagot problema mali sira dumating hanggang
        address numero telepono email resibo presyo bawas singil bayaran palitan ibalik kanselahin
        tingnan subukan gumagana nagbayad natanggap naghihintay matagal mabilis agad sana pwede
        puwede gusto ayaw alam sabi sinabi tawag text mensahe tindahan produkto kahon basag kulang
        sobra tama mali password login app website update bago luma serbisyo ahente tagapamahala
        reklamo feedback salamat talaga sobrang medyo konti marami lahat wala iba ibang isa dalawa
        """;

    private const string ChineseHead = """
        我 的 了 订单 您 是 你 在 不 有 请 退款 我们 问题 这个 已经 还 没有 谢谢 一下 可以 能 吗 收到
        帐户 付款 发货 快递 客服 地址 电话 邮件 密码 登录 更新 取消 申请 处理 时间 今天 昨天 现在
        需要 帮忙 查询 物流 包裹 商品 产品 价格 优惠 发票 退货 换货 损坏 缺少 错误 重复 扣款 银行
        信用卡 余额 积分 会员 订阅 续费 套餐 升级 降级 试用 账单 合同 保修 维修 安装 下载 版本 手机
        网站 应用 页面 系统 网络 信号 故障 维护 备份 恢复 证书 域名 邮箱 日历 许可 管理员 门户 报表
        导出 导入 集成 接口 超时 崩溃 同步 附件 优惠券 投诉 反馈 调查 经理 主管 技术员 预约 仓库
        配送 签收 拒收 延迟 催促 确认 核实 审核 通过 失败 成功 联系 回复 等待 尽快 麻烦 感谢 抱歉
        """;

    // Names come first: the Chinese tail is built from characters that names and the head do not use.
    public static readonly string[] FirstNames = Split("""
        James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard
        Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark
        Sandra Paul Ashley Steven Emily Andrew Donna Joshua Michelle Kevin Carol Brian Amanda Juan
        Maria Jose Ana Mark Kristine Angelo Jasmine Carlo Princess Miguel Andrea Paolo Nicole Rafael
        Bea Lorenzo Camille Emma Liam Olivia Noah Sofia Lucas Mia Ethan Chloe Hannah Leo
        """);

    public static readonly string[] LastNames = Split("""
        Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
        Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
        Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Torres Tomas Andrade Castillo Flores Villanueva
        Ramos Aquino Navarro Dela Cruz Schmidt Muller Novak Kowalski Rossi Dubois Silva Costa
        """);

    public static readonly string[] ChineseSurnames = Split("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐");

    public static readonly string[] ChineseGiven = Split("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉 萍 红 文 辉 建");

    public static readonly string[] Domains = Split("gmail.com yahoo.com outlook.com hotmail.com icloud.com qq.com 163.com example.com mail.ph proton.me");

    public static readonly Language English = new("en", true, Split(EnglishHead), SyllableWords(
        ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "cr", "dr", "gl", "pl", "st", "tr"],
        ["a", "e", "i", "o", "u", "ai", "ea", "ou"], ["", "", "n", "r", "x", "th", "ck"], seed: 11), tailShare: 0.03);

    public static readonly Language Filipino = new("fil", true, Split(FilipinoHead), SyllableWords(
        ["b", "d", "g", "h", "k", "l", "m", "n", "ng", "p", "s", "t", "w", "y"],
        ["a", "i", "o", "u", "a", "a"], ["", "", "", "n", "ng", "s"], seed: 23), tailShare: 0.03);

    public static readonly Language Chinese = new("zh", false, Split(ChineseHead), ChineseTail(), tailShare: 0.03);

    private static string[] Split(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Pronounceable made-up words: the tail stands in for product names, error codes and other rare terms.</summary>
    private static string[] SyllableWords(string[] onsets, string[] vowels, string[] codas, int seed)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new string[TailSize];
        var sb = new StringBuilder();
        for (var i = 0; i < words.Length;)
        {
            sb.Clear();
            var syllables = 2 + random.Next(3);
            for (var s = 0; s < syllables; s++)
            {
                sb.Append(onsets[random.Next(onsets.Length)]).Append(vowels[random.Next(vowels.Length)]);
                if (s == syllables - 1 || random.Next(3) == 0) sb.Append(codas[random.Next(codas.Length)]);
            }
            var word = sb.ToString();
            if (seen.Add(word)) words[i++] = word;
        }
        return words;
    }

    /// <summary>Two-character words from a block of characters the head never uses, so their pairs only come from these words.</summary>
    private static string[] ChineseTail()
    {
        var used = new HashSet<char>(ChineseHead.Where(c => c > 0x2E80));
        used.UnionWith(ChineseSurnames.SelectMany(s => s));
        used.UnionWith(ChineseGiven.SelectMany(s => s));
        var pool = Enumerable.Range(0x6C00, 0x1400).Select(c => (char)c).Where(c => !used.Contains(c)).ToArray();
        var random = new Random(37);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new string[TailSize];
        for (var i = 0; i < words.Length;)
        {
            var word = string.Concat(pool[random.Next(pool.Length)], pool[random.Next(pool.Length)]);
            if (seen.Add(word)) words[i++] = word;
        }
        return words;
    }
}
