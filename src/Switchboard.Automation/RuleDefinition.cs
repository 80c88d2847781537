using System.Globalization;
using System.Text.Json;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;

namespace Switchboard.Automation;

/// <summary>A condition tree node: a group of conditions (all or any must hold) or one field test.</summary>
internal abstract record Condition;

internal sealed record ConditionGroup(bool All, IReadOnlyList<Condition> Items) : Condition;

/// <summary>One test of a field. <see cref="Values"/> are lower-case; ids are invariant-culture numbers.</summary>
internal sealed record FieldCondition(string Field, string Op, IReadOnlyList<string> Values) : Condition;

internal sealed record RuleAction(string Type, string? Value = null, IReadOnlyList<string>? Values = null, string? Body = null, string? Url = null);

internal sealed record TimeCondition(TicketStatus Status, double Hours, string Since);

/// <summary>A rule ready to run: parsed once when rules are loaded, evaluated in memory for every event.</summary>
internal sealed record CompiledRule(
    long Id, string Name, int Position, string Trigger, Condition Conditions, IReadOnlyList<RuleAction> Actions,
    bool StopProcessing, TimeCondition? Time, string? WebhookSecret)
{
    public string ActorName => RuleActor.NameOf(Name);

    public bool UsesMessage => Uses(Conditions, f => f.StartsWith("message.", StringComparison.Ordinal));

    private static bool Uses(Condition c, Func<string, bool> field) => c switch
    {
        ConditionGroup g => g.Items.Any(i => Uses(i, field)),
        FieldCondition f => field(f.Field),
        _ => false,
    };

    public static CompiledRule From(AutomationRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        using var conditions = JsonDocument.Parse(rule.Conditions);
        using var actions = JsonDocument.Parse(rule.Actions);
        TimeCondition? time = null;
        if (rule.TimeCondition is { } t)
        {
            using var timeJson = JsonDocument.Parse(t);
            time = RuleParser.ParseTime(timeJson.RootElement, "timeCondition");
        }
        return new CompiledRule(rule.Id, rule.Name, rule.Position, rule.Trigger,
            RuleParser.ParseConditions(conditions.RootElement, "conditions"),
            RuleParser.ParseActions(actions.RootElement, "actions"),
            rule.StopProcessing, time, rule.WebhookSecret);
    }
}

/// <summary>Reads and checks conditions and actions; every mistake names its place, e.g. <c>conditions.all[1].op</c>.</summary>
internal static class RuleParser
{
    public const int MaxDepth = 5;
    public const int MaxConditions = 100;
    public const int MaxActions = 20;

    public static readonly string[] Fields =
    [
        "ticket.status", "ticket.priority", "ticket.channel", "ticket.departmentId", "ticket.assigneeId", "ticket.subject", "ticket.tags",
        "customer.email", "customer.name", "customer.companyId", "message.body", "message.channel", "within_business_hours",
    ];

    public static readonly string[] Operators = ["equals", "not_equals", "in", "not_in", "contains", "not_contains", "is_empty", "is_not_empty"];

    public static readonly string[] ActionTypes =
    [
        "set_status", "set_priority", "set_department", "set_assignee", "add_tags", "remove_tags", "add_note", "send_reply",
        "notify_agents", "call_webhook", "stop",
    ];

    private static readonly string[] IdFields = ["ticket.departmentId", "ticket.assigneeId", "customer.companyId"];

    public static Condition ParseConditions(JsonElement element, string path)
    {
        var count = 0;
        return ParseNode(element, path, 0, ref count);
    }

    private static Condition ParseNode(JsonElement element, string path, int depth, ref int count)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid(path, "must be an object: a group {\"all\": [...]} or {\"any\": [...]}, or a test {\"field\", \"op\", \"value\"}.");
        var hasAll = element.TryGetProperty("all", out var all);
        var hasAny = element.TryGetProperty("any", out var any);
        if (hasAll || hasAny)
        {
            if (hasAll && hasAny) throw Invalid(path, "has both \"all\" and \"any\"; nest one group inside the other.");
            if (depth >= MaxDepth) throw Invalid(path, $"nests groups deeper than {MaxDepth} levels.");
            var list = hasAll ? all : any;
            var key = hasAll ? "all" : "any";
            if (list.ValueKind != JsonValueKind.Array) throw Invalid($"{path}.{key}", "must be a list of conditions.");
            var items = new List<Condition>();
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                items.Add(ParseNode(item, $"{path}.{key}[{i++}]", depth + 1, ref count));
            }
            return new ConditionGroup(hasAll, items);
        }
        if (++count > MaxConditions) throw Invalid(path, $"is one condition too many; a rule has at most {MaxConditions}.");
        var field = RequiredString(element, "field", path);
        if (!Fields.Contains(field, StringComparer.Ordinal))
        {
            throw Invalid($"{path}.field", $"'{field}' is not a field; use one of {string.Join(", ", Fields)}.");
        }
        var op = RequiredString(element, "op", path);
        if (!Operators.Contains(op, StringComparer.Ordinal))
        {
            throw Invalid($"{path}.op", $"'{op}' is not an operator; use one of {string.Join(", ", Operators)}.");
        }
        element.TryGetProperty("value", out var value);
        if (field == "within_business_hours")
        {
            if (op is not ("equals" or "not_equals") || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Invalid(path, "within_business_hours takes op \"equals\" or \"not_equals\" with value true or false.");
            }
            return new FieldCondition(field, op, [value.ValueKind == JsonValueKind.True ? "true" : "false"]);
        }
        List<string> values = op switch
        {
            "is_empty" or "is_not_empty" => [],
            "in" or "not_in" => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0
                ? value.EnumerateArray().Select((v, i) => Scalar(v, $"{path}.value[{i}]")).ToList()
                : throw Invalid($"{path}.value", $"'{op}' needs a non-empty list of values."),
            _ => [Scalar(value, $"{path}.value")],
        };
        if (op is "contains" or "not_contains" && values[0].Length == 0) throw Invalid($"{path}.value", $"'{op}' needs some text to look for.");
        for (var i = 0; i < values.Count; i++) CheckValue(field, values[i], $"{path}.value");
        return new FieldCondition(field, op, values);
    }

    private static void CheckValue(string field, string value, string path)
    {
        switch (field)
        {
            case "ticket.status" when !Enum.TryParse<TicketStatus>(value, true, out _):
                throw Invalid(path, $"'{value}' is not a status; use one of {Names<TicketStatus>()}.");
            case "ticket.priority" when !Enum.TryParse<TicketPriority>(value, true, out _):
                throw Invalid(path, $"'{value}' is not a priority; use one of {Names<TicketPriority>()}.");
            case "ticket.channel" or "message.channel" when !Enum.TryParse<Channel>(value, true, out _):
                throw Invalid(path, $"'{value}' is not a channel; use one of {Names<Channel>()}.");
            case var f when IdFields.Contains(f) && !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _):
                throw Invalid(path, $"'{value}' is not an id; {field} compares with numbers.");
        }
    }

    public static IReadOnlyList<RuleAction> ParseActions(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0) throw Invalid(path, "must be a non-empty list of actions.");
        if (element.GetArrayLength() > MaxActions) throw Invalid(path, $"has more than {MaxActions} actions.");
        var actions = new List<RuleAction>();
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            actions.Add(ParseAction(item, $"{path}[{i++}]"));
        }
        return actions;
    }

    private static RuleAction ParseAction(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid(path, "must be an object with a \"type\".");
        var type = RequiredString(element, "type", path);
        element.TryGetProperty("value", out var value);
        string RequiredValue() => value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? Scalar(value, $"{path}.value")
            : throw Invalid($"{path}.value", $"'{type}' needs a value.");
        switch (type)
        {
            case "set_status":
                var status = RequiredValue();
                if (!Enum.TryParse<TicketStatus>(status, true, out _)) throw Invalid($"{path}.value", $"'{status}' is not a status; use one of {Names<TicketStatus>()}.");
                return new RuleAction(type, status);
            case "set_priority":
                var priority = RequiredValue();
                if (!Enum.TryParse<TicketPriority>(priority, true, out _)) throw Invalid($"{path}.value", $"'{priority}' is not a priority; use one of {Names<TicketPriority>()}.");
                return new RuleAction(type, priority);
            case "set_department" or "set_assignee":
                if (value.ValueKind == JsonValueKind.Null) return new RuleAction(type);
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var id) || id <= 0)
                {
                    throw Invalid($"{path}.value", $"'{type}' needs an id, or null to clear it.");
                }
                return new RuleAction(type, id.ToString(CultureInfo.InvariantCulture));
            case "add_tags" or "remove_tags":
                var tags = value.ValueKind == JsonValueKind.Array
                    ? value.EnumerateArray().Select((v, j) => Scalar(v, $"{path}.value[{j}]").Trim()).Where(t => t.Length > 0).Distinct().ToList()
                    : [];
                if (tags.Count == 0) throw Invalid($"{path}.value", $"'{type}' needs a list of tags.");
                if (tags.Any(t => t.Length > 100)) throw Invalid($"{path}.value", "A tag is at most 100 characters long.");
                return new RuleAction(type, Values: tags);
            case "add_note" or "send_reply":
                var body = element.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()!.Trim() : "";
                if (body.Length == 0) throw Invalid($"{path}.body", $"'{type}' needs a body; it may use {string.Join(", ", Templates.Placeholders)}.");
                if (body.Length > 20_000) throw Invalid($"{path}.body", "The body is longer than 20,000 characters.");
                return new RuleAction(type, Body: body);
            case "notify_agents":
                var agents = element.TryGetProperty("agentIds", out var a) && a.ValueKind == JsonValueKind.Array
                    ? a.EnumerateArray().Select((v, j) => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n > 0
                        ? n.ToString(CultureInfo.InvariantCulture)
                        : throw Invalid($"{path}.agentIds[{j}]", "must be an agent id.")).Distinct().ToList()
                    : [];
                if (agents.Count == 0) throw Invalid($"{path}.agentIds", "'notify_agents' needs a list of agent ids.");
                var message = element.TryGetProperty("body", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()!.Trim() : null;
                return new RuleAction(type, Values: agents, Body: string.IsNullOrEmpty(message) ? null : message);
            case "call_webhook":
                var url = element.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Length > 2000)
                {
                    throw Invalid($"{path}.url", "'call_webhook' needs an absolute http or https URL.");
                }
                return new RuleAction(type, Url: uri.AbsoluteUri);
            case "stop":
                return new RuleAction(type);
            default:
                throw Invalid($"{path}.type", $"'{type}' is not an action; use one of {string.Join(", ", ActionTypes)}.");
        }
    }

    public static TimeCondition ParseTime(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid(path, "must be an object {\"status\", \"hours\", \"since\"}.");
        var status = RequiredString(element, "status", path);
        if (!Enum.TryParse<TicketStatus>(status, true, out var s)) throw Invalid($"{path}.status", $"'{status}' is not a status; use one of {Names<TicketStatus>()}.");
        if (!element.TryGetProperty("hours", out var h) || h.ValueKind != JsonValueKind.Number || !h.TryGetDouble(out var hours) || hours <= 0 || hours > 24 * 366)
        {
            throw Invalid($"{path}.hours", "must be a number of hours greater than 0 and at most a year.");
        }
        var since = element.TryGetProperty("since", out var si) && si.ValueKind == JsonValueKind.String ? si.GetString()! : "updatedAt";
        if (since is not ("updatedAt" or "lastCustomerMessage")) throw Invalid($"{path}.since", $"'{since}' is not known; use updatedAt or lastCustomerMessage.");
        return new TimeCondition(s, hours, since);
    }

    private static string RequiredString(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw Invalid($"{path}.{name}", "is required.");

    private static string Scalar(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.ToLowerInvariant(),
        JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw Invalid(path, "must be a text or a whole number."),
    };

    private static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));

    public static ProblemException Invalid(string path, string message) => ProblemException.Invalid(path, $"{path}: {message}");
}
