using System.Text.Json;
using Switchboard.Core.Errors;

namespace Switchboard.Automation.Tests;

public class RuleParserTests
{
    private static ProblemException ConditionsError(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Assert.Throws<ProblemException>(() => RuleParser.ParseConditions(doc.RootElement, "conditions"));
    }

    private static ProblemException ActionsError(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Assert.Throws<ProblemException>(() => RuleParser.ParseActions(doc.RootElement, "actions"));
    }

    [Fact]
    public void ParseConditions_UnknownOperator_NamesThePlaceAndTheChoices()
    {
        var e = ConditionsError("""{"all":[{"field":"ticket.status","op":"equals","value":"open"},{"field":"ticket.priority","op":"bigger","value":"high"}]}""");

        Assert.StartsWith("conditions.all[1].op: 'bigger' is not an operator; use one of equals, not_equals, in", e.Message, StringComparison.Ordinal);
        Assert.Equal(400, e.StatusCode);
        Assert.Contains("conditions.all[1].op", e.Errors!.Keys);
    }

    [Theory]
    [InlineData("""{"all":[{"field":"ticket.colour","op":"equals","value":"red"}]}""", "conditions.all[0].field: 'ticket.colour' is not a field")]
    [InlineData("""{"any":[{"field":"ticket.status","op":"equals","value":"sleeping"}]}""", "conditions.any[0].value: 'sleeping' is not a status")]
    [InlineData("""{"all":[{"field":"ticket.departmentId","op":"equals","value":"sales"}]}""", "conditions.all[0].value: 'sales' is not an id")]
    [InlineData("""{"all":[{"field":"ticket.tags","op":"in","value":[]}]}""", "conditions.all[0].value: 'in' needs a non-empty list")]
    [InlineData("""{"all":[{"any":[{"field":"within_business_hours","op":"contains","value":"yes"}]}]}""", "conditions.all[0].any[0]: within_business_hours takes")]
    [InlineData("""{"all":[],"any":[]}""", "conditions: has both")]
    public void ParseConditions_Mistakes_AreExplained(string json, string start)
    {
        Assert.StartsWith(start, ConditionsError(json).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[]""", "actions: must be a non-empty list")]
    [InlineData("""[{"type":"set_priority","value":"asap"}]""", "actions[0].value: 'asap' is not a priority")]
    [InlineData("""[{"type":"stop"},{"type":"explode"}]""", "actions[1].type: 'explode' is not an action")]
    [InlineData("""[{"type":"call_webhook","url":"ftp://example.com/x"}]""", "actions[0].url: 'call_webhook' needs an absolute http or https URL")]
    [InlineData("""[{"type":"send_reply","body":"  "}]""", "actions[0].body: 'send_reply' needs a body")]
    public void ParseActions_Mistakes_AreExplained(string json, string start)
    {
        Assert.StartsWith(start, ActionsError(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseActions_Valid_KeepsOrderAndValues()
    {
        using var doc = JsonDocument.Parse("""[{"type":"set_priority","value":"Urgent"},{"type":"add_tags","value":["VIP","vip"," x "]},{"type":"set_assignee","value":null}]""");

        var actions = RuleParser.ParseActions(doc.RootElement, "actions");

        Assert.Equal("urgent", actions[0].Value);
        Assert.Equal(["vip", "x"], actions[1].Values);
        Assert.Null(actions[2].Value);
    }
}
