using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Switchboard.Core.Data;

namespace Switchboard.Host.Tests.Infrastructure;

/// <summary>
/// The real host listening on a loopback port, on real time, with a headless Chromium to drive
/// it. Browser tests take one per class (<c>IClassFixture</c>) and open a fresh browser context
/// per user, so cookies and storage never leak between the people a test plays.
/// </summary>
public abstract class BrowserHost : SwitchboardFactory
{
    public const string ChromiumVariable = "SWITCHBOARD_TEST_CHROMIUM";
    public const string DefaultChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly BrowserHost? _firstNode;

    protected BrowserHost(DatabaseProvider provider) : base(provider) => UseKestrel(0);

    /// <summary>A second node on <paramref name="firstNode"/>'s database, driven by its browser.</summary>
    protected BrowserHost(BrowserHost firstNode) : base(firstNode)
    {
        _firstNode = firstNode;
        UseKestrel(0);
    }

    protected override bool UsesFakeClock => false;

    /// <summary>The address the host listens on, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser => _browser ?? _firstNode?.Browser ?? throw new InvalidOperationException("The browser starts in InitializeAsync.");

    public override async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        BaseUrl = addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        ClientOptions.BaseAddress = new Uri(BaseUrl);
        await base.InitializeAsync();
        if (_firstNode is not null) return;

        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable);
        if (string.IsNullOrWhiteSpace(chromium)) chromium = DefaultChromium;
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {chromium}, so the browser tests cannot run. Run ./test.sh, which installs " +
                $"Debian's chromium package, or set {ChromiumVariable} to a Chromium executable.");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            // Tests run as root in containers, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new browser context (a separate person) whose relative URLs resolve against the host.</summary>
    public async Task<IPage> NewPageAsync(string? locale = null, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            Locale = locale ?? "en-US",
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteBrowserHost() : BrowserHost(DatabaseProvider.Sqlite);

public sealed class PostgresBrowserHost() : BrowserHost(DatabaseProvider.Postgres);

public sealed class PostgresSecondBrowserNode(BrowserHost firstNode) : BrowserHost(firstNode);
