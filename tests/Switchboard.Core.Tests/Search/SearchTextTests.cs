using System.Text;
using Switchboard.Core.Search;

namespace Switchboard.Core.Tests.Search;

public class SearchTextTests
{
    [Fact]
    public void Tokenize_ChineseRun_BecomesOverlappingPairsAndTheLastCharacter()
    {
        Assert.Equal("我想 想申 申请 请退 退款 款", SearchText.Tokenize("我想申请退款"));
    }

    [Fact]
    public void Tokenize_ChinesePunctuation_EndsTheRun()
    {
        Assert.Equal("你好 好 谢谢 谢", SearchText.Tokenize("你好，谢谢！"));
    }

    [Fact]
    public void Tokenize_SingleChineseCharacter_IsATerm()
    {
        Assert.Equal("退", SearchText.Tokenize("退"));
    }

    [Fact]
    public void Tokenize_ChineseBetweenLatinWords_SplitsAtEachScriptChange()
    {
        Assert.Equal("退款 款 refund 申请 请 2024", SearchText.Tokenize("退款refund申请 2024"));
    }

    [Fact]
    public void IndexTokens_KeepEachTermOnceInFirstOrder_InEveryScript()
    {
        Assert.Equal("the refund and invoice", SearchText.IndexTokens("The refund and the invoice; the REFUND!"));
        Assert.Equal("salamat po", SearchText.IndexTokens("Salámat po, salamat po!"));
        Assert.Equal("退款 款 款申 申请 请", SearchText.IndexTokens("退款，退款申请"));
        Assert.Equal("", SearchText.IndexTokens(null));
    }

    [Fact]
    public void Tokenize_JapaneseAndKorean_AreTreatedLikeChinese()
    {
        Assert.Equal("こん んに にち ちは は", SearchText.Tokenize("こんにちは"));
        Assert.Equal("감사 사합 합니 니다 다", SearchText.Tokenize("감사합니다"));
    }

    [Fact]
    public void Tokenize_EnglishSentence_IsLowerCaseWordsWithoutPunctuation()
    {
        Assert.Equal("my invoice 4411 isn t right", SearchText.Tokenize("My INVOICE #4411 isn't right!"));
    }

    [Fact]
    public void Tokenize_FilipinoWithDiacritics_FoldsToPlainLetters()
    {
        Assert.Equal("kumusta po salamat", SearchText.Tokenize("Kumustá po, salámat!"));
        Assert.Equal("magandang umaga", SearchText.Tokenize("Magandáng umága"));
        Assert.Equal("nino pina", SearchText.Tokenize("Niño piña"));
    }

    [Fact]
    public void Tokenize_DecomposedAccents_FoldLikeComposedOnes()
    {
        var decomposed = "kumusta\u0301";

        Assert.Equal(SearchText.Tokenize("kumustá"), SearchText.Tokenize(decomposed));
    }

    [Fact]
    public void Tokenize_FullWidthLettersAndDigits_FoldToAscii()
    {
        Assert.Equal("abc123", SearchText.Tokenize("ＡＢＣ１２３"));
    }

    [Fact]
    public void Tokenize_HyphenAndApostrophe_SplitWords()
    {
        Assert.Equal("mag order o brien", SearchText.Tokenize("mag-order O'Brien"));
    }

    [Fact]
    public void Tokenize_VeryLongWord_IsCutToTheMaximumLength()
    {
        var tokens = SearchText.Tokenize(new string('a', 100) + " b");

        Assert.Equal(new string('a', SearchText.MaxTermLength) + " b", tokens);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ,.!? ")]
    public void Tokenize_NoWords_IsEmpty(string? text)
    {
        Assert.Equal("", SearchText.Tokenize(text));
    }

    [Fact]
    public void Tokenize_CharacterOutsideTheBasicPlane_StaysWhole()
    {
        // U+20BB7 is a CJK extension B character, two UTF-16 code units.
        var rare = char.ConvertFromUtf32(0x20BB7);

        Assert.Equal($"{rare}家 家", SearchText.Tokenize(rare + "家"));
    }

    [Fact]
    public void Tokenize_Emoji_IsNotATerm()
    {
        Assert.Equal("thanks", SearchText.Tokenize("thanks 😊"));
    }

    [Fact]
    public void IsCjk_IdeographsKanaAndHangul_AreCjk()
    {
        Assert.True(SearchText.IsCjk(new Rune('退')));
        Assert.True(SearchText.IsCjk(new Rune('あ')));
        Assert.True(SearchText.IsCjk(new Rune('カ')));
        Assert.True(SearchText.IsCjk(new Rune('감')));
        Assert.False(SearchText.IsCjk(new Rune('a')));
        Assert.False(SearchText.IsCjk(new Rune('，')));
    }
}
