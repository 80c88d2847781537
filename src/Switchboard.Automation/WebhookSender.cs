using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Switchboard.Automation;

/// <summary>
/// Which addresses a webhook may reach. Rules are written by administrators, but a webhook that
/// can reach loopback, the private network or a cloud metadata service turns the help desk into a
/// door into the internal network (SSRF), so those are refused unless explicitly allowed.
/// </summary>
internal static class WebhookAddressGuard
{
    public static bool IsRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] switch
            {
                0 or 10 or 127 => true,                      // unspecified, private, loopback
                100 => b[1] is >= 64 and <= 127,             // carrier-grade NAT (RFC 6598)
                169 => b[1] == 254,                          // link-local, incl. 169.254.169.254 metadata
                172 => b[1] is >= 16 and <= 31,              // private
                192 => (b[1] == 168) || (b[1] == 0 && b[2] == 0), // private; IETF protocol assignments
                >= 224 => true,                              // multicast, reserved, broadcast
                _ => false,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)) return true;
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            return (b[0] & 0xFE) == 0xFC                     // unique local fc00::/7
                || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)   // link-local fe80::/10
                || (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0)   // site-local fec0::/10 (deprecated)
                || b[0] == 0xFF                              // multicast
                || address.IsIPv4Compatible() && IsRefused(new IPAddress(b[12..]));
        }
        return true;
    }

    private static bool IsIPv4Compatible(this IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        return b[..12].IndexOfAnyExcept((byte)0) < 0;
    }
}

internal sealed class WebhookRefusedException(string message) : Exception(message);

internal sealed record WebhookResult(bool Delivered, string Outcome);

/// <summary>
/// Posts JSON signed with HMAC-SHA256 (<c>X-Switchboard-Signature: sha256=HEX</c>). The host name is
/// resolved and every address checked in the connection callback, and the connection goes to the
/// address that was checked, so a DNS answer that changes between check and connect (rebinding)
/// cannot reach a refused address.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    public const string SignatureHeader = "X-Switchboard-Signature";
    private readonly IOptionsMonitor<AutomationOptions> _options;
    private readonly HttpClient _client;

    public WebhookSender(IOptionsMonitor<AutomationOptions> options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public static string Sign(string secret, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    public async Task<WebhookResult> SendAsync(Uri url, string secret, byte[] body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.CurrentValue.WebhookTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(secret, body));
        request.Headers.UserAgent.ParseAdd("Switchboard-Automation/1.0");
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new WebhookResult(true, $"delivered ({status})")
                : new WebhookResult(false, $"failed: the receiver answered {status}");
        }
        catch (HttpRequestException e) when (Find<WebhookRefusedException>(e) is { } refused)
        {
            return new WebhookResult(false, "refused: " + refused.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookResult(false, $"failed: no answer within {_options.CurrentValue.WebhookTimeout.TotalSeconds:0} seconds");
        }
        catch (HttpRequestException e)
        {
            return new WebhookResult(false, "failed: " + e.Message);
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await ResolveCheckedAsync(context.DnsEndPoint.Host, _options.CurrentValue.AllowPrivateWebhookTargets, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The addresses of <paramref name="host"/>, when every one of them may be reached; otherwise a <see cref="WebhookRefusedException"/>.</summary>
    public static async Task<IPAddress[]> ResolveCheckedAsync(string host, bool allowPrivate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0) throw new WebhookRefusedException($"{host} does not resolve to any address.");
        if (allowPrivate) return addresses;
        var refused = addresses.FirstOrDefault(WebhookAddressGuard.IsRefused);
        if (refused is not null)
        {
            throw new WebhookRefusedException(
                $"{host} resolves to {refused}, a loopback, private, link-local or reserved address; set Automation:AllowPrivateWebhookTargets to allow it.");
        }
        return addresses;
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }
        return null;
    }

    public void Dispose() => _client.Dispose();
}
