using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;
using Switchboard.Core.Security;

namespace Switchboard.Automation;

/// <summary>
/// Managing automation rules: what the REST API and the workspace's settings both call. Listing is
/// for every agent; changing rules is for administrators, checked here as well as on the routes.
/// </summary>
public sealed class AutomationRules
{
    private readonly SwitchboardDb _db;
    private readonly RuleCatalog _catalog;
    private readonly TimeProvider _time;

    internal AutomationRules(SwitchboardDb db, RuleCatalog catalog, TimeProvider time)
    {
        _db = db;
        _catalog = catalog;
        _time = time;
    }

    /// <summary>Every trigger a rule can have: the ticket events, and "time".</summary>
    public static IReadOnlyCollection<string> TriggerNames => Triggers.All;

    public async Task<IReadOnlyList<AutomationRuleDto>> ListAsync(CancellationToken ct)
    {
        var rules = await _db.AutomationRules.AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
        return rules.Select(ToDto).ToList();
    }

    public async Task<AutomationRuleDto> GetAsync(long id, CancellationToken ct) => ToDto(await FindAsync(_db, id, ct));

    public async Task<AutomationRuleDto> CreateAsync(CurrentAgent agent, AutomationRuleRequest request, CancellationToken ct)
    {
        EnsureAdmin(agent);
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        var rule = new AutomationRule { Name = "", Trigger = "", CreatedAt = now };
        await ApplyAsync(_db, rule, request, ct);
        rule.Position = request.Position ?? ((await _db.AutomationRules.MaxAsync(r => (int?)r.Position, ct) ?? 0) + 10);
        rule.UpdatedAt = now;
        _db.AutomationRules.Add(rule);
        await _db.SaveChangesAsync(ct);
        _catalog.Invalidate();
        return ToDto(rule);
    }

    public async Task<AutomationRuleDto> UpdateAsync(CurrentAgent agent, long id, AutomationRuleRequest request, CancellationToken ct)
    {
        EnsureAdmin(agent);
        ArgumentNullException.ThrowIfNull(request);
        var rule = await _db.AutomationRules.FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw ProblemException.NotFound($"Automation rule {id}");
        await ApplyAsync(_db, rule, request, ct);
        if (request.Position is { } position) rule.Position = position;
        rule.UpdatedAt = _time.GetUtcNow();
        await _db.SaveChangesAsync(ct);
        _catalog.Invalidate();
        return ToDto(rule);
    }

    public async Task DeleteAsync(CurrentAgent agent, long id, CancellationToken ct)
    {
        EnsureAdmin(agent);
        if (await _db.AutomationRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct) == 0) throw ProblemException.NotFound($"Automation rule {id}");
        _catalog.Invalidate();
    }

    private static void EnsureAdmin(CurrentAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (!agent.IsAdmin) throw ProblemException.Forbidden("Only administrators can change automation rules.");
    }

    /// <summary>Checks the whole request (a PUT replaces the rule) and copies it onto the entity.</summary>
    private static async Task ApplyAsync(SwitchboardDb db, AutomationRule rule, AutomationRuleRequest request, CancellationToken ct)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200) throw RuleParser.Invalid("name", "is required, at most 200 characters.");
        if (await db.AutomationRules.AnyAsync(r => r.Name == name && r.Id != rule.Id, ct)) throw ProblemException.Conflict($"A rule named '{name}' already exists.");
        var trigger = request.Trigger?.Trim() ?? "";
        if (!Triggers.IsKnown(trigger))
        {
            throw RuleParser.Invalid("trigger", $"'{trigger}' is not a trigger; use one of {string.Join(", ", Triggers.All)}.");
        }
        var conditions = request.Conditions is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } c ? c : JsonDocument.Parse("{\"all\":[]}").RootElement;
        RuleParser.ParseConditions(conditions, "conditions");
        if (request.Actions is not { ValueKind: JsonValueKind.Array } actionsJson) throw RuleParser.Invalid("actions", "must be a non-empty list of actions.");
        var actions = RuleParser.ParseActions(actionsJson, "actions");
        await CheckReferencesAsync(db, actions, ct);
        string? time = null;
        if (trigger == Triggers.Time)
        {
            if (request.TimeCondition is not { ValueKind: JsonValueKind.Object } t)
            {
                throw RuleParser.Invalid("timeCondition", "a time rule needs {\"status\", \"hours\", \"since\"}, e.g. {\"status\": \"pending\", \"hours\": 72}.");
            }
            var parsed = RuleParser.ParseTime(t, "timeCondition");
            time = JsonSerializer.Serialize(new { status = parsed.Status.ToString().ToLowerInvariant(), hours = parsed.Hours, since = parsed.Since });
        }
        var secret = request.WebhookSecret ?? rule.WebhookSecret;
        if (request.WebhookSecret is { } s && (s.Length < 16 || s.Length > 200)) throw RuleParser.Invalid("webhookSecret", "must be 16 to 200 characters long.");
        if (actions.Any(a => a.Type == "call_webhook") && secret is null)
        {
            throw RuleParser.Invalid("webhookSecret", "a rule that calls a webhook needs a secret (16 to 200 characters) to sign its requests.");
        }
        rule.Name = name;
        rule.Trigger = trigger;
        rule.Conditions = conditions.GetRawText();
        rule.Actions = actionsJson.GetRawText();
        rule.TimeCondition = time;
        rule.IsActive = request.IsActive ?? true;
        rule.StopProcessing = request.StopProcessing ?? false;
        rule.WebhookSecret = secret;
    }

    private static async Task CheckReferencesAsync(SwitchboardDb db, IReadOnlyList<RuleAction> actions, CancellationToken ct)
    {
        for (var i = 0; i < actions.Count; i++)
        {
            var a = actions[i];
            if (a.Value is null || a.Type is not ("set_department" or "set_assignee")) continue;
            var id = long.Parse(a.Value, System.Globalization.CultureInfo.InvariantCulture);
            var exists = a.Type == "set_department"
                ? await db.Departments.AnyAsync(d => d.Id == id, ct)
                : await db.Agents.AnyAsync(x => x.Id == id && x.IsActive, ct);
            if (!exists) throw RuleParser.Invalid($"actions[{i}].value", $"{(a.Type == "set_department" ? "department" : "active agent")} {id} does not exist.");
        }
    }

    internal static async Task<AutomationRule> FindAsync(SwitchboardDb db, long id, CancellationToken ct) =>
        await db.AutomationRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) ?? throw ProblemException.NotFound($"Automation rule {id}");

    private static AutomationRuleDto ToDto(AutomationRule r) => new(
        r.Id, r.Name, r.IsActive, r.Position, r.Trigger, Parse(r.Conditions)!.Value, Parse(r.Actions)!.Value, Parse(r.TimeCondition),
        r.StopProcessing, r.WebhookSecret is not null, r.CreatedAt, r.UpdatedAt);

    private static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
