using Switchboard.Core.Model;

namespace Switchboard.Core.Events;

/// <summary>
/// Announces availability changes (an agent going online, away or offline) inside the process, so
/// chat routing and auto-assignment can hand out waiting work at once instead of on their next pass.
/// The stored <see cref="Agent.Availability"/> stays the truth; this is only a nudge.
/// </summary>
public sealed class AgentPresence
{
    public event Action<long, AgentAvailability>? Changed;

    public void Announce(long agentId, AgentAvailability availability) => Changed?.Invoke(agentId, availability);
}
