using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;

namespace Switchboard.Automation;

/// <summary>
/// The active rules, compiled, grouped by trigger, in position order. Read once and kept: evaluation
/// never touches the database for rules. The API invalidates on change; other nodes reload within
/// <see cref="MaxAge"/>.
/// </summary>
internal sealed class RuleCatalog(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private (ILookup<string, CompiledRule> Rules, DateTimeOffset LoadedAt)? _current;

    public void Invalidate() => _current = null;

    public async Task<ILookup<string, CompiledRule>> GetAsync(SwitchboardDb db, CancellationToken ct)
    {
        if (_current is { } c && time.GetUtcNow() - c.LoadedAt < MaxAge) return c.Rules;
        await _lock.WaitAsync(ct);
        try
        {
            if (_current is { } again && time.GetUtcNow() - again.LoadedAt < MaxAge) return again.Rules;
            var rules = await db.AutomationRules.AsNoTracking().Where(r => r.IsActive).OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
            var compiled = rules.Select(CompiledRule.From).ToLookup(r => r.Trigger, StringComparer.Ordinal);
            _current = (compiled, time.GetUtcNow());
            return compiled;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
