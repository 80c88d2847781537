using Microsoft.EntityFrameworkCore;

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

    /// <summary>Pokes once the context's next save succeeds. Contexts are pooled, so the handlers remove themselves.</summary>
    internal void PokeAfterSave(DbContext db)
    {
        EventHandler<SavedChangesEventArgs>? saved = null;
        EventHandler<SaveChangesFailedEventArgs>? failed = null;
        saved = (_, _) =>
        {
            db.SavedChanges -= saved;
            db.SaveChangesFailed -= failed;
            Poke();
        };
        failed = (_, _) =>
        {
            db.SavedChanges -= saved;
            db.SaveChangesFailed -= failed;
        };
        db.SavedChanges += saved;
        db.SaveChangesFailed += failed;
    }
}
