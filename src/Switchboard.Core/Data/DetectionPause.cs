using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Switchboard.Core.Data;

/// <summary>
/// Automatic change detection switched off until disposed, then set back to what it was. Each
/// <c>Entries&lt;T&gt;()</c>, <c>Local</c> or save otherwise starts a full pass over everything tracked,
/// and a batch of mail tracks hundreds of rows: detect once, then read and save without repeating it.
/// </summary>
public readonly struct DetectionPause : IDisposable
{
    private readonly ChangeTracker _tracker;

    private DetectionPause(ChangeTracker tracker, bool detectFirst)
    {
        _tracker = tracker;
        WasAutomatic = tracker.AutoDetectChangesEnabled;
        if (detectFirst && WasAutomatic) tracker.DetectChanges();
        tracker.AutoDetectChangesEnabled = false;
    }

    /// <summary>
    /// Whether detection was automatic before. When it was not, the caller that turned it off has
    /// detected already and will not again: whatever is changed under the pause must be detected by
    /// whoever changes it.
    /// </summary>
    public bool WasAutomatic { get; }

    /// <summary>Detects once now (if detection was automatic), then pauses it.</summary>
    public static DetectionPause DetectOnce(ChangeTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return new DetectionPause(tracker, detectFirst: true);
    }

    /// <summary>Pauses detection without a pass: for changes made only through the tracker's own entries.</summary>
    public static DetectionPause Without(ChangeTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return new DetectionPause(tracker, detectFirst: false);
    }

    public void Dispose() => _tracker.AutoDetectChangesEnabled = WasAutomatic;
}
