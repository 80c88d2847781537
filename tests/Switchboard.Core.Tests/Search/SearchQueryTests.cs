using Switchboard.Core.Search;

namespace Switchboard.Core.Tests.Search;

public class SearchQueryTests
{
    [Fact]
    public void Parse_ChineseWord_NeedsOnlyItsPair()
    {
        var query = SearchQuery.Parse("退款");

        Assert.Equal([("退款", false)], query.Terms);
    }

    [Fact]
    public void Parse_LongerChineseWord_NeedsEveryPair()
    {
        var query = SearchQuery.Parse("申请退款");

        Assert.Equal([("申请", false), ("请退", false), ("退款", false)], query.Terms);
    }

    [Fact]
    public void Parse_SingleChineseCharacter_IsAPrefix()
    {
        Assert.Equal([("退", true)], SearchQuery.Parse("退").Terms);
        Assert.Equal("\"退\"*", SearchQuery.Parse("退").ToFts5());
        Assert.Equal("'退':*", SearchQuery.Parse("退").ToTsQuery());
    }

    [Fact]
    public void Parse_SingleCharacterOutsideTheBasicPlane_IsAPrefix()
    {
        var rare = char.ConvertFromUtf32(0x20BB7);

        Assert.Equal([(rare, true)], SearchQuery.Parse(rare).Terms);
    }

    [Fact]
    public void Parse_FilipinoWithDiacritics_FoldsLikeTheIndex()
    {
        Assert.Equal([("kumusta", false), ("salamat", false)], SearchQuery.Parse("Kumustá SALÁMAT").Terms);
    }

    [Fact]
    public void Parse_FullWidthWord_FoldsToAscii()
    {
        Assert.Equal([("abc", false)], SearchQuery.Parse("ＡＢＣ").Terms);
    }

    [Fact]
    public void Parse_TrailingStar_MakesTheLastTermOfTheWordAPrefix()
    {
        Assert.Equal([("refund", true)], SearchQuery.Parse("refund*").Terms);
        Assert.Equal([("o", false), ("brien", true)], SearchQuery.Parse("o'brien*").Terms);
    }

    [Fact]
    public void Parse_RepeatedWords_AreKeptOnce()
    {
        Assert.Equal([("refund", false)], SearchQuery.Parse("refund Refund REFUND").Terms);
    }

    [Fact]
    public void Parse_ManyWords_KeepsTheFirstSixteen()
    {
        var words = string.Join(' ', Enumerable.Range(1, 30).Select(i => "w" + i));

        var query = SearchQuery.Parse(words);

        Assert.Equal(16, query.Terms.Count);
        Assert.Equal("w16", query.Terms[^1].Term);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"")]
    [InlineData("* ** ***")]
    [InlineData("!?&|:()")]
    public void Parse_NoWords_IsEmpty(string? text)
    {
        var query = SearchQuery.Parse(text);

        Assert.True(query.IsEmpty);
        Assert.Equal("", query.ToFts5());
        Assert.Equal("", query.ToTsQuery());
    }

    [Fact]
    public void ToFts5_EveryTermQuotedAndRequired()
    {
        Assert.Equal("\"not\" AND \"near\" AND \"or\"*", SearchQuery.Parse("NOT near OR*").ToFts5());
    }

    [Fact]
    public void ToFts5_OperatorCharacters_AreNotPassedThrough()
    {
        var fts = SearchQuery.Parse("a:*|b&(c)! \"d\"").ToFts5();

        Assert.Equal("\"a\" AND \"b\" AND \"c\" AND \"d\"", fts);
    }

    [Fact]
    public void ToTsQuery_EveryTermQuotedAndRequired()
    {
        Assert.Equal("'invoice' & '4411' & 'miss':*", SearchQuery.Parse("invoice #4411 miss*").ToTsQuery());
    }

    [Fact]
    public void ToTsQuery_QuotesAndBackslashes_CannotEndTheLiteral()
    {
        var tsquery = SearchQuery.Parse("it's \\' ''; drop").ToTsQuery();

        Assert.Equal("'it' & 's' & 'drop'", tsquery);
    }
}
