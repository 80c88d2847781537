using System.Text.Json;

namespace Switchboard.Automation.Tests;

public class ConditionEvaluatorTests
{
    private static Condition Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return RuleParser.ParseConditions(doc.RootElement, "conditions");
    }

    private static TicketFacts Facts(string subject = "Printer on fire", string? body = null, string[]? tags = null, bool businessHours = true) =>
        new(() => (body, "email"), () => businessHours)
        {
            Status = "open",
            Priority = "normal",
            Channel = "email",
            DepartmentId = 3,
            Subject = subject,
            Tags = tags ?? [],
            CustomerEmails = ["ana@example.ph"],
            CustomerName = "Ana Reyes",
            CompanyId = 7,
        };

    private static bool Matches(string json, TicketFacts facts) => ConditionEvaluator.Matches(Parse(json), facts);

    [Theory]
    [InlineData("我要退款，订单还没到", "退款")]
    [InlineData("Salamat po, pero hindi pa dumating ang order ko", "HINDI PA DUMATING")]
    [InlineData("Ich möchte mein Geld zurück", "GELD")]
    public void Contains_AnyScriptAnyCase_Matches(string body, string part)
    {
        var json = $$"""{"all":[{"field":"message.body","op":"contains","value":"{{part}}"}]}""";

        Assert.True(Matches(json, Facts(body: body)));
    }

    [Fact]
    public void NotContains_TextAbsent_Matches()
    {
        Assert.True(Matches("""{"all":[{"field":"ticket.subject","op":"not_contains","value":"退款"}]}""", Facts("Printer on fire")));
        Assert.False(Matches("""{"all":[{"field":"ticket.subject","op":"not_contains","value":"FIRE"}]}""", Facts("Printer on fire")));
    }

    [Fact]
    public void AllAndAnyGroups_Nested_CombineAsLogic()
    {
        const string json = """
            {"all":[
              {"field":"ticket.status","op":"in","value":["new","open"]},
              {"any":[{"field":"ticket.tags","op":"equals","value":"vip"},{"field":"customer.companyId","op":"equals","value":7}]}
            ]}
            """;

        Assert.True(Matches(json, Facts(tags: ["vip"])));
        Assert.True(Matches(json, Facts(tags: [])));
        Assert.False(Matches(json.Replace("\"value\":7", "\"value\":8", StringComparison.Ordinal), Facts(tags: ["other"])));
    }

    [Fact]
    public void EmptyGroups_AllMatchesAnyDoesNot()
    {
        Assert.True(Matches("""{"all":[]}""", Facts()));
        Assert.False(Matches("""{"any":[]}""", Facts()));
    }

    [Fact]
    public void Tags_NotInAndEmpty_LookAtEveryTag()
    {
        Assert.True(Matches("""{"all":[{"field":"ticket.tags","op":"not_in","value":["spam","test"]}]}""", Facts(tags: ["vip"])));
        Assert.True(Matches("""{"all":[{"field":"ticket.tags","op":"is_empty"}]}""", Facts(tags: [])));
        Assert.False(Matches("""{"all":[{"field":"ticket.tags","op":"is_empty"}]}""", Facts(tags: ["vip"])));
    }

    [Fact]
    public void Ids_And_Emails_CompareAsValues()
    {
        Assert.True(Matches("""{"all":[{"field":"ticket.departmentId","op":"equals","value":3}]}""", Facts()));
        Assert.True(Matches("""{"all":[{"field":"ticket.assigneeId","op":"is_empty"}]}""", Facts()));
        Assert.True(Matches("""{"all":[{"field":"customer.email","op":"contains","value":"@EXAMPLE.PH"}]}""", Facts()));
    }

    [Fact]
    public void WithinBusinessHours_TrueOrFalse_AsTheCalendarSays()
    {
        Assert.True(Matches("""{"all":[{"field":"within_business_hours","op":"equals","value":false}]}""", Facts(businessHours: false)));
        Assert.False(Matches("""{"all":[{"field":"within_business_hours","op":"equals","value":true}]}""", Facts(businessHours: false)));
    }

    [Fact]
    public void Message_NotAskedFor_IsNeverRead()
    {
        var reads = 0;
        var facts = new TicketFacts(() => { reads++; return ("x", "email"); }, () => true) { Subject = "Hello" };

        Assert.True(Matches("""{"all":[{"field":"ticket.subject","op":"equals","value":"hello"}]}""", facts));
        Assert.Equal(0, reads);
    }
}
