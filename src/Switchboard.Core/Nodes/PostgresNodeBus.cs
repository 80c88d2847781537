using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Switchboard.Core.Nodes;

/// <summary>
/// The node bus over PostgreSQL's LISTEN/NOTIFY on the application's own database: every node
/// keeps one dedicated connection that listens on one channel, and sends through the pool.
/// A message is <c>node|topic|payload</c>; a node skips its own. See ADR-0010.
/// </summary>
internal sealed partial class PostgresNodeBus : INodeBus, IHostedService, IAsyncDisposable
{
    public const string Channel = "switchboard_nodes";

    /// <summary>Names the listening connection in <c>pg_stat_activity</c>, so an operator (or a test) can find it.</summary>
    public const string ApplicationNamePrefix = "switchboard-bus-";

    // Socket waits and back-off are real time, like the driver's own timeouts; the application's
    // clock (which tests move) has no say over how long a network takes.
    private static readonly TimeSpan PingAfterIdle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReadyWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(5);
    private const int QueueLimit = 10_000;
    private const int BatchLimit = 100;

    private readonly string _listenConnectionString;
    private readonly NpgsqlDataSource _senders;
    private readonly ILogger<PostgresNodeBus> _logger;
    private readonly Channel<(string Topic, string Payload)> _outbox =
        System.Threading.Channels.Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(QueueLimit)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ImmutableDictionary<string, ImmutableArray<Action<NodeMessage>>> _handlers = ImmutableDictionary<string, ImmutableArray<Action<NodeMessage>>>.Empty;
    private Task? _listener;
    private Task? _sender;
    private long _dropped;
    private volatile bool _closed;

    public PostgresNodeBus(string connectionString, ILogger<PostgresNodeBus> logger)
    {
        _logger = logger;
        NodeId = Guid.NewGuid().ToString("N");
        var listen = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = ApplicationNamePrefix + NodeId,
            // One long-lived connection of its own: never borrowed from or returned to the pool.
            Pooling = false,
            Enlist = false,
            Multiplexing = false,
        };
        _listenConnectionString = listen.ConnectionString;
        _senders = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Enlist = false, MaxPoolSize = 4 });
    }

    public string NodeId { get; }

    public bool IsShared => true;

    public event Action? Connected;

    public void Publish(string topic, string payload)
    {
        NodeBus.CheckTopic(topic);
        NodeBus.CheckPayload(payload);
        if (_closed) return;
        if (!_outbox.Writer.TryWrite((topic, payload)) && !_closed && Interlocked.Increment(ref _dropped) % 1000 == 1)
        {
            // Only when the database has been unreachable for long: live hints that old are worthless anyway.
            LogDropped(_logger, QueueLimit);
        }
    }

    public IDisposable Subscribe(string topic, Action<NodeMessage> handler)
    {
        NodeBus.CheckTopic(topic);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate) _handlers = _handlers.SetItem(topic, _handlers.GetValueOrDefault(topic, []).Add(handler));
        return new Subscription(() =>
        {
            lock (_gate)
            {
                var left = _handlers.GetValueOrDefault(topic, []).Remove(handler);
                _handlers = left.IsEmpty ? _handlers.Remove(topic) : _handlers.SetItem(topic, left);
            }
        });
    }

    /// <summary>Starts listening and waits (briefly) until it does, so a node that is up hears the others.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = Task.Run(() => ListenAsync(_stopping.Token), CancellationToken.None);
        _sender = Task.Run(() => SendAsync(_stopping.Token), CancellationToken.None);
        try
        {
            await _listening.Task.WaitAsync(ReadyWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogNotYetListening(_logger, ReadyWait);
        }
    }

    /// <summary>Sends what is still queued (a goodbye, the last changes), then stops listening.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _closed = true;
        _outbox.Writer.TryComplete();
        if (_sender is not null)
        {
            await Task.WhenAny(_sender, Task.Delay(DrainWait, cancellationToken)).ConfigureAwait(false);
        }
        await _stopping.CancelAsync();
        await Task.WhenAll(_listener ?? Task.CompletedTask, _sender ?? Task.CompletedTask).ConfigureAwait(false);
    }

    /// <remarks>
    /// The host may stop and dispose this more than once and in either order (a test host and the
    /// program's own run both stop it), so neither throws when the other already ran; the token
    /// source is never disposed for that reason (it holds no timer or wait handle).
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _outbox.Writer.TryComplete();
        await _stopping.CancelAsync();
        await Task.WhenAll(_listener ?? Task.CompletedTask, _sender ?? Task.CompletedTask).ConfigureAwait(false);
        await _senders.DisposeAsync();
    }

    /// <summary>
    /// One connection that LISTENs and waits for notifications. When it breaks (a restart, a
    /// failover, an administrator ending the backend) it is opened again with growing pauses,
    /// and <see cref="Connected"/> tells subscribers that they may have missed something.
    /// </summary>
    private async Task ListenAsync(CancellationToken ct)
    {
        var retry = FirstRetry;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                if (failures > 0) LogListeningAgain(_logger, failures);
                retry = FirstRetry;
                failures = 0;
                _listening.TrySetResult();
                RaiseConnected();
                while (true)
                {
                    // A quiet connection may have died without a word (a dropped route);
                    // a ping after a quiet spell finds out.
                    if (!await connection.WaitAsync(PingAfterIdle, ct))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure of the connection leads to the same thing: open it again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures++;
                LogListenFailed(_logger, e, retry);
            }
            try
            {
                await Task.Delay(retry, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    private void RaiseConnected()
    {
        foreach (var handler in Connected?.GetInvocationList() ?? [])
        {
            try
            {
                ((Action)handler)();
            }
#pragma warning disable CA1031 // A subscriber's failure must not stop the bus.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogHandlerFailed(_logger, e, "connected");
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var payload = e.Payload;
        var first = payload.IndexOf('|', StringComparison.Ordinal);
        var second = first < 0 ? -1 : payload.IndexOf('|', first + 1);
        if (second < 0) return;
        var node = payload[..first];
        if (node == NodeId) return;
        var topic = payload[(first + 1)..second];
        if (!_handlers.TryGetValue(topic, out var handlers)) return;
        var message = new NodeMessage(node, topic, payload[(second + 1)..]);
        foreach (var handler in handlers)
        {
            try
            {
                handler(message);
            }
#pragma warning disable CA1031 // A subscriber's failure must not stop the bus.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogHandlerFailed(_logger, ex, topic);
            }
        }
    }

    /// <summary>Sends queued messages in order, many per round trip when they pile up.</summary>
    private async Task SendAsync(CancellationToken ct)
    {
        var batch = new List<(string Topic, string Payload)>(BatchLimit);
        var retry = FirstRetry;
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(ct))
            {
                while (batch.Count < BatchLimit && _outbox.Reader.TryRead(out var item)) batch.Add(item);
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await NotifyAsync(batch, ct);
                        retry = FirstRetry;
                        break;
                    }
                    catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException && attempt < 3)
                    {
                        LogSendFailed(_logger, e, batch.Count, retry);
                        await Task.Delay(retry, ct);
                        retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
                    }
                    catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
                    {
                        LogSendGaveUp(_logger, e, batch.Count);
                        break;
                    }
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: whatever is still queued is of no use to anyone after this node is gone.
        }
    }

    private async Task NotifyAsync(List<(string Topic, string Payload)> batch, CancellationToken ct)
    {
        await using var connection = await _senders.OpenConnectionAsync(ct);
        await using var notify = new NpgsqlBatch(connection);
        foreach (var (topic, payload) in batch)
        {
            var command = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = Channel });
            command.Parameters.Add(new NpgsqlParameter { Value = NodeId + "|" + topic + "|" + payload });
            notify.BatchCommands.Add(command);
        }
        await notify.ExecuteNonQueryAsync(ct);
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "More than {Limit} node messages are waiting to be sent; new ones are dropped until the database answers again.")]
    private static partial void LogDropped(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not yet listening to the other nodes after {Wait}; live updates from them start once the database answers.")]
    private static partial void LogNotYetListening(ILogger logger, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening to the other nodes again after {Failures} failed attempts.")]
    private static partial void LogListeningAgain(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that listens to the other nodes; trying again in {Retry}.")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A node message subscriber of '{Topic}' failed.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send {Count} node messages; trying again in {Retry}.")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, int count, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up sending {Count} node messages; other nodes show these changes on their next reload.")]
    private static partial void LogSendGaveUp(ILogger logger, Exception exception, int count);
}
