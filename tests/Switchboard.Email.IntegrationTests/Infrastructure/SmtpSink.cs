using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

/// <summary>A message the sink accepted: the envelope as given in MAIL FROM and RCPT TO, and the message itself.</summary>
public sealed record ReceivedMail(string EnvelopeFrom, IReadOnlyList<string> EnvelopeTo, MimeMessage Message)
{
    public override string ToString() => $"{Message.Subject} to {string.Join(", ", EnvelopeTo)}";
}

/// <summary>
/// An SMTP server on a loopback port that accepts every message and keeps it: the outgoing server of
/// the test mailboxes. It can be stopped and started again on the same port, to play an outage.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private CancellationTokenSource? _stop;
    private Task? _running;

    public SmtpSink(int? port = null) => Port = port ?? LoopbackPorts.Free();

    public int Port { get; }

    public async Task StartAsync()
    {
        if (_running is not null) throw new InvalidOperationException("The sink is running already.");
        var options = new SmtpServerOptionsBuilder()
            .ServerName("sink.test")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_received));
        var server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _running = server.StartAsync(_stop.Token);
        await Eventually.UntilAsync(() => Task.FromResult(LoopbackPorts.AcceptsConnections(Port) || _running.IsCompleted), up => up, $"the SMTP sink on port {Port} to listen");
        if (_running.IsCompleted) await _running;
    }

    public async Task StopAsync()
    {
        if (_running is null || _stop is null) return;
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _stop = null;
        _running = null;
    }

    /// <summary>Waits for a message to arrive that matches; fails after the timeout, listing what did arrive.</summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> match, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var limit = timeout ?? Eventually.DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_received.FirstOrDefault(match) is { } found) return found;
            await Task.Delay(100);
        }
        var arrived = _received.ToList();
        Assert.Fail($"Waited {limit.TotalSeconds:0.#} s for {what}; the sink has {arrived.Count} other message(s): {string.Join("; ", arrived)}");
        return null!;
    }

    /// <summary>Messages whose envelope names <paramref name="recipient"/>.</summary>
    public List<ReceivedMail> To(string recipient) =>
        _received.Where(m => m.EnvelopeTo.Contains(recipient, StringComparer.OrdinalIgnoreCase)).ToList();

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Store(ConcurrentQueue<ReceivedMail> received) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream, cancellationToken);
            var from = transaction.From is { User.Length: > 0 } f ? $"{f.User}@{f.Host}" : "";
            received.Enqueue(new ReceivedMail(from, transaction.To.Select(t => $"{t.User}@{t.Host}").ToList(), message));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
