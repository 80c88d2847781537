using Microsoft.EntityFrameworkCore;

namespace Switchboard.Core.Data;

/// <summary>Work that must follow a unit of work's save (a push, a worker's wake-up), never precede it.</summary>
public static class SaveHooks
{
    /// <summary>
    /// Runs <paramref name="action"/> once the context's next save succeeds; a failed save drops it.
    /// Contexts are pooled, so the handlers remove themselves either way.
    /// </summary>
    public static void AfterNextSave(this DbContext db, Action action)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(action);
        EventHandler<SavedChangesEventArgs>? saved = null;
        EventHandler<SaveChangesFailedEventArgs>? failed = null;
        void Detach()
        {
            db.SavedChanges -= saved;
            db.SaveChangesFailed -= failed;
        }
        saved = (_, _) =>
        {
            Detach();
            action();
        };
        failed = (_, _) => Detach();
        db.SavedChanges += saved;
        db.SaveChangesFailed += failed;
    }
}
