namespace Switchboard.Automation.Tests;

public class TemplatesTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["customer.name"] = "李小龙",
        ["ticket.number"] = "42",
        ["ticket.subject"] = "Hindi gumagana ang printer",
    };

    [Fact]
    public void Render_Placeholders_AreFilled()
    {
        var text = Templates.Render("Hi {{customer.name}}, ticket #{{ ticket.number }} ({{ticket.subject}}) is resolved.", Values);

        Assert.Equal("Hi 李小龙, ticket #42 (Hindi gumagana ang printer) is resolved.", text);
    }

    [Fact]
    public void Render_ValueLooksLikeAPlaceholder_IsInsertedAsIs()
    {
        var values = new Dictionary<string, string>(Values) { ["customer.name"] = "{{ticket.subject}}" };

        Assert.Equal("Hi {{ticket.subject}}", Templates.Render("Hi {{customer.name}}", values));
    }

    [Theory]
    [InlineData("Hello {{agent.secret}}", "Hello {{agent.secret}}")]
    [InlineData("Unclosed {{customer.name", "Unclosed {{customer.name")]
    [InlineData("No placeholders", "No placeholders")]
    public void Render_UnknownOrBroken_LeftAsWritten(string template, string expected)
    {
        Assert.Equal(expected, Templates.Render(template, Values));
    }
}
