using System.Globalization;

namespace Switchboard.Automation;

/// <summary>
/// What conditions look at: the ticket, its customer and the message that triggered the run.
/// Text is compared as given; values that cost a query (the message, business hours) are read
/// only when a condition asks for them.
/// </summary>
internal sealed class TicketFacts
{
    private readonly Lazy<(string? Body, string? Channel)> _message;
    private readonly Lazy<bool> _businessHours;

    public TicketFacts(Func<(string? Body, string? Channel)> message, Func<bool> withinBusinessHours)
    {
        _message = new Lazy<(string?, string?)>(message, LazyThreadSafetyMode.None);
        _businessHours = new Lazy<bool>(withinBusinessHours, LazyThreadSafetyMode.None);
    }

    public string Status { get; init; } = "";
    public string Priority { get; init; } = "";
    public string Channel { get; init; } = "";
    public long? DepartmentId { get; init; }
    public long? AssigneeId { get; init; }
    public string Subject { get; init; } = "";
    public IReadOnlyCollection<string> Tags { get; init; } = [];
    public IReadOnlyList<string> CustomerEmails { get; init; } = [];
    public string CustomerName { get; init; } = "";
    public long? CompanyId { get; init; }

    public string? MessageBody => _message.Value.Body;
    public string? MessageChannel => _message.Value.Channel;
    public bool WithinBusinessHours => _businessHours.Value;
}

/// <summary>Evaluates a condition tree against <see cref="TicketFacts"/>, in memory and without allocation on the common paths.</summary>
internal static class ConditionEvaluator
{
    private static readonly CompareInfo Invariant = CultureInfo.InvariantCulture.CompareInfo;
    private const CompareOptions IgnoreCase = CompareOptions.IgnoreCase;

    public static bool Matches(Condition condition, TicketFacts facts) => condition switch
    {
        // An empty "all" matches everything; an empty "any" matches nothing, as in logic.
        ConditionGroup { All: true } g => g.Items.All(i => Matches(i, facts)),
        ConditionGroup g => g.Items.Any(i => Matches(i, facts)),
        FieldCondition f => Test(f, facts),
        _ => false,
    };

    private static bool Test(FieldCondition c, TicketFacts facts)
    {
        if (c.Field == "within_business_hours")
        {
            var wanted = c.Values[0] == "true";
            return (facts.WithinBusinessHours == wanted) == (c.Op == "equals");
        }
        return c.Field switch
        {
            "ticket.tags" => TestMany(c, facts.Tags),
            "customer.email" => TestMany(c, facts.CustomerEmails),
            _ => TestOne(c, Value(c.Field, facts)),
        };
    }

    private static string? Value(string field, TicketFacts facts) => field switch
    {
        "ticket.status" => facts.Status,
        "ticket.priority" => facts.Priority,
        "ticket.channel" => facts.Channel,
        "ticket.departmentId" => Id(facts.DepartmentId),
        "ticket.assigneeId" => Id(facts.AssigneeId),
        "ticket.subject" => facts.Subject,
        "customer.name" => facts.CustomerName,
        "customer.companyId" => Id(facts.CompanyId),
        "message.body" => facts.MessageBody,
        "message.channel" => facts.MessageChannel,
        _ => null,
    };

    private static string? Id(long? id) => id?.ToString(CultureInfo.InvariantCulture);

    private static bool TestOne(FieldCondition c, string? value) => c.Op switch
    {
        "equals" => EqualsAny(value, c.Values),
        "not_equals" => !EqualsAny(value, c.Values),
        "in" => EqualsAny(value, c.Values),
        "not_in" => !EqualsAny(value, c.Values),
        "contains" => Contains(value, c.Values[0]),
        "not_contains" => !Contains(value, c.Values[0]),
        "is_empty" => string.IsNullOrWhiteSpace(value),
        "is_not_empty" => !string.IsNullOrWhiteSpace(value),
        _ => false,
    };

    /// <summary>A list field (tags, addresses) equals a value when one of its items does; it is empty when it has none.</summary>
    private static bool TestMany(FieldCondition c, IReadOnlyCollection<string> items) => c.Op switch
    {
        "equals" or "in" => items.Any(i => EqualsAny(i, c.Values)),
        "not_equals" or "not_in" => !items.Any(i => EqualsAny(i, c.Values)),
        "contains" => items.Any(i => Contains(i, c.Values[0])),
        "not_contains" => !items.Any(i => Contains(i, c.Values[0])),
        "is_empty" => items.Count == 0,
        "is_not_empty" => items.Count > 0,
        _ => false,
    };

    private static bool EqualsAny(string? value, IReadOnlyList<string> values)
    {
        if (value is null) return false;
        for (var i = 0; i < values.Count; i++)
        {
            if (Invariant.Compare(value, values[i], IgnoreCase) == 0) return true;
        }
        return false;
    }

    /// <summary>Culture-invariant and case-insensitive, so "REFUND" finds "refund", "Salamat" finds "salamat" and "退款" finds itself in Chinese text.</summary>
    private static bool Contains(string? value, string part) =>
        value is not null && Invariant.IndexOf(value, part, IgnoreCase) >= 0;
}
