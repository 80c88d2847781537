using System.Text;

namespace Switchboard.Bench.Portal;

/// <summary>
/// Made-up but plausible article text. Words are drawn with a Zipf distribution from a vocabulary
/// per language, so some terms are in most articles and others in a handful, as in a real base.
/// </summary>
internal static class Vocabulary
{
    private static readonly string[] EnglishSeed =
    [
        "account", "password", "reset", "order", "refund", "invoice", "payment", "card", "shipping", "delivery", "login", "email", "settings",
        "profile", "subscription", "plan", "upgrade", "cancel", "return", "warranty", "device", "app", "update", "install", "network", "router",
        "printer", "battery", "screen", "error", "message", "code", "verify", "phone", "address", "change", "export", "import", "report", "team",
    ];

    private static readonly string[] FilipinoSeed =
    [
        "paano", "ang", "ng", "sa", "mga", "para", "hindi", "pwede", "bayad", "order", "padala", "ibalik", "pera", "account", "password", "palitan",
        "tulong", "problema", "kumusta", "salamat", "kailangan", "gamitin", "bago", "lumang", "telepono", "mensahe", "tingnan", "buksan", "isara",
    ];

    private const string ChineseSeed =
        "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切注团价讲设退款订单密码账户登录支付发票快递";

    public static readonly string[] English = Build(EnglishSeed, ["ka", "lo", "ver", "sin", "dra", "mo", "tel", "qua", "pri", "zen", "bor", "ix"], 4_000, 7);

    public static readonly string[] Filipino = Build(FilipinoSeed, ["ka", "la", "ma", "pa", "ta", "sa", "ga", "ya", "ni", "ngi", "bu", "hi"], 3_000, 13);

    /// <summary>Single characters; Chinese text is a run of them, so the index holds their pairs.</summary>
    public static readonly string[] Chinese = ChineseSeed.Select(c => c.ToString()).Distinct().ToArray();

    private static string[] Build(string[] seed, string[] syllables, int size, int salt)
    {
        var random = new Random(salt);
        var words = new List<string>(seed);
        var seen = new HashSet<string>(seed);
        while (words.Count < size)
        {
            var n = 2 + random.Next(3);
            var sb = new StringBuilder();
            for (var i = 0; i < n; i++) sb.Append(syllables[random.Next(syllables.Length)]);
            if (seen.Add(sb.ToString())) words.Add(sb.ToString());
        }
        return [.. words];
    }

    /// <summary>A rank drawn with P(rank) ∝ 1 / (rank + 1).</summary>
    private static int Zipf(Random random, int size)
    {
        // Inverse of the harmonic CDF, approximated: rank = size^u - 1.
        var rank = (int)Math.Pow(size + 1, random.NextDouble()) - 1;
        return Math.Clamp(rank, 0, size - 1);
    }

    public static (string Title, string Body) Article(Random random, string language)
    {
        if (language == "zh-Hans")
        {
            var title = Chars(random, 6 + random.Next(8));
            var body = new StringBuilder();
            for (var p = 0; p < 4; p++)
            {
                for (var s = 0; s < 4; s++) body.Append(Chars(random, 10 + random.Next(20))).Append('。');
                body.Append("\n\n");
            }
            return (title, body.ToString());
        }
        var words = language == "fil" ? Filipino : English;
        var heading = Words(random, words, 4 + random.Next(5));
        var text = new StringBuilder();
        for (var p = 0; p < 4; p++)
        {
            if (p == 1) text.Append("## ").Append(Words(random, words, 3)).Append("\n\n");
            for (var s = 0; s < 3; s++) text.Append(Words(random, words, 8 + random.Next(10))).Append(". ");
            text.Append("\n\n");
        }
        return (char.ToUpperInvariant(heading[0]) + heading[1..], text.ToString());
    }

    private static string Words(Random random, string[] words, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => words[Zipf(random, words.Length)]));

    private static string Chars(Random random, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => Chinese[Zipf(random, Chinese.Length)]));
}
