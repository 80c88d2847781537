using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Data;

namespace Switchboard.Email;

/// <summary>Wakes the outbox worker as soon as a reply's transaction is saved, instead of at its next poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Poke()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public void Dispose() => _signal.Dispose();

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    /// <summary>Pokes once the context's next save succeeds.</summary>
    internal void PokeAfterSave(DbContext db) => db.AfterNextSave(Poke);
}
