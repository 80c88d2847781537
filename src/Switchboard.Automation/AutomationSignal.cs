using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Automation;

/// <summary>Wakes the worker when this process saved something, so rules run within moments instead of at the next poll.</summary>
internal sealed class AutomationSignal : IDisposable
{
    /// <summary>The keys of the two signals: one wakes the rules, one wakes auto-assignment.</summary>
    public const string Rules = "rules";
    public const string Assignment = "assignment";

    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_pending.CurrentCount == 0) _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every save before it.
        }
    }

    /// <summary>Waits for a signal or, at most, <paramref name="timeout"/> of real time.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _pending.WaitAsync(timeout, ct);

    public void Dispose() => _pending.Dispose();
}

/// <summary>Every save may have added ticket events; signalling is cheap, reading finds out.</summary>
internal sealed class AutomationSaveInterceptor(
    [FromKeyedServices(AutomationSignal.Rules)] AutomationSignal signal,
    [FromKeyedServices(AutomationSignal.Assignment)] AutomationSignal assignment) : SaveChangesInterceptor
{
    private void NotifyAll()
    {
        signal.Notify();
        assignment.Notify();
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (result > 0) NotifyAll();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (result > 0) NotifyAll();
        return ValueTask.FromResult(result);
    }
}

/// <summary>
/// A transaction's commit wakes the workers too: rows written with a save inside a transaction (or
/// without a save at all, as a batch of mail writes its history events) are readable only from then.
/// </summary>
internal sealed class AutomationCommitInterceptor(
    [FromKeyedServices(AutomationSignal.Rules)] AutomationSignal signal,
    [FromKeyedServices(AutomationSignal.Assignment)] AutomationSignal assignment) : DbTransactionInterceptor
{
    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        signal.Notify();
        assignment.Notify();
    }

    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        signal.Notify();
        assignment.Notify();
        return Task.CompletedTask;
    }
}
