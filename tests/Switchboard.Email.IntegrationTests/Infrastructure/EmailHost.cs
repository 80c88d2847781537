using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

/// <summary>
/// The real host, with the email workers running on the real clock, on an <see cref="EmailInstance"/>.
/// Intervals are short so that mail moves within a second or two; disposing it stops the host
/// the way a shutdown does (workers are cancelled wherever they are).
/// </summary>
public sealed class EmailHost : WebApplicationFactory<Program>
{
    public const string AdminEmail = "owner@switchboard.test";
    public const string AdminPassword = "correct horse battery staple";

    /// <summary>Largest inbound message in tests: small, so that "too large" is cheap to produce.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    public const int AutoRepliesPerSenderPerHour = 3;

    private readonly EmailInstance _instance;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private HttpClient? _admin;
    private int _disposed;

    private EmailHost(EmailInstance instance, IReadOnlyDictionary<string, string?>? overrides, Action<IServiceCollection>? services)
    {
        _instance = instance;
        _services = services;
        InboundSmtpPort = LoopbackPorts.Free();
        _settings = new Dictionary<string, string?>
        {
            ["Email:RunWorkers"] = "true",
            ["Email:PollInterval"] = "00:00:01",
            // Long enough that a message seen within seconds was announced by IDLE, not by a renewal.
            ["Email:IdleRenewal"] = "00:00:30",
            ["Email:OutboxPollInterval"] = "00:00:00.200",
            ["Email:SendRetryDelay"] = "00:00:01",
            ["Email:MaxMessageBytes"] = MaxMessageBytes.ToString(CultureInfo.InvariantCulture),
            ["Email:AutoRepliesPerSenderPerHour"] = AutoRepliesPerSenderPerHour.ToString(CultureInfo.InvariantCulture),
            ["Email:InboundSmtp:Listen"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{InboundSmtpPort}"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    /// <summary>Where the host's own SMTP receiver listens.</summary>
    public int InboundSmtpPort { get; }

    /// <summary>The owner, signed in through the API.</summary>
    public HttpClient Admin => _admin ?? throw new InvalidOperationException("The host has not started.");

    public HelpDesk Desk => new(Admin);

    internal static async Task<EmailHost> StartAsync(EmailInstance instance, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        var host = new EmailHost(instance, settings, services);
        try
        {
            var response = await host.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email = AdminEmail, password = AdminPassword });
            var body = await response.ShouldBeAsync(HttpStatusCode.OK);
            var admin = host.CreateClient();
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.Str("token"));
            host._admin = admin;
            // The SMTP listener is a background service; wait until it answers, as a sending server would.
            await Eventually.UntilAsync(() => Task.FromResult(LoopbackPorts.AcceptsConnections(host.InboundSmtpPort)), up => up, "the host's SMTP listener to accept connections");
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", _instance.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", _instance.ConnectionString);
        builder.UseSetting("Switchboard:DataDirectory", _instance.DataDirectory);
        builder.UseSetting("Switchboard:RateLimits:SignInPerMinute", "100000");
        builder.UseSetting("Switchboard:Admin:Email", AdminEmail);
        builder.UseSetting("Switchboard:Admin:Password", AdminPassword);
        builder.UseSetting("Switchboard:Admin:Name", "Olivia Owner");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Expected noise: the migration check on an empty database, notes on SQLite table rebuilds, and
        // keys kept unencrypted in the test folder.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Critical");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations", "Error");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _admin?.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
