using Switchboard.Core.Model;
using Switchboard.Tickets;

namespace Switchboard.Automation;

/// <summary>
/// Rules act as the system under their own name, with their id, so the history says which rule did
/// what ('Rule "VIP first"') and the worker can tell rule-made events from everything else.
/// </summary>
internal static class RuleActor
{
    public const string Prefix = "Rule \"";

    public static string NameOf(string ruleName) => $"{Prefix}{ruleName}\"";

    public static Actor Of(CompiledRule rule) => new(ActorType.System, rule.Id, rule.ActorName);

    public static bool IsRuleEvent(TicketEvent e) =>
        e.ActorType == ActorType.System && e.ActorId is not null && e.ActorName is { } n && n.StartsWith(Prefix, StringComparison.Ordinal);
}
