using Switchboard.Core.Data;

namespace Switchboard.Email;

/// <summary>The instance secret behind our Message-IDs, read once from the database and kept.</summary>
public sealed class EmailSecrets : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private MessageIds? _ids;

    internal async Task<MessageIds> MessageIdsAsync(SwitchboardDb db, CancellationToken ct)
    {
        if (_ids is not null) return _ids;
        await _lock.WaitAsync(ct);
        try
        {
            return _ids ??= await MessageIds.LoadAsync(db, ct);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
