using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Switchboard.Core.Data;

namespace Switchboard.Bench.Workspace;

internal sealed record WorkspaceSettings(
    DatabaseProvider Provider, string ConnectionString, int Samples, string? Chromium, string? HostPath, string OutDirectory);

/// <summary>
/// The agent workspace in a real browser against the benchmark dataset: how long until the inbox
/// is usable after navigation (live and showing tickets), how long a ticket takes to open from the
/// inbox, and how long a new ticket takes to appear in an open inbox. Each figure stands next to the
/// same data fetched through the REST API (the substrate the page adds its rendering to).
/// </summary>
internal static class WorkspaceRunner
{
    public static async Task<int> RunAsync(WorkspaceSettings settings)
    {
        // SWITCHBOARD_BENCH_HOST_LOG=FILE keeps the host's output with every SQL command and its time (slows the host a little).
        var hostLog = Environment.GetEnvironmentVariable("SWITCHBOARD_BENCH_HOST_LOG");
        var environment = new Dictionary<string, string> { ["Email__RunWorkers"] = "false", ["Sla__RunWorker"] = "false", ["Automation__RunWorker"] = "false" };
        if (!string.IsNullOrEmpty(hostLog)) environment["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Information";
        await using var host = await HostProcess.StartAsync(settings.Provider, settings.ConnectionString, settings.HostPath, 1800, environment,
            string.IsNullOrEmpty(hostLog) ? null : hostLog);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var signIn = await http.PostAsJsonAsync("/api/v1/auth/token", new { email = Dataset.AdminEmail, password = Dataset.AdminPassword });
        signIn.EnsureSuccessStatusCode();
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = settings.Chromium ?? Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new() { BaseURL = host.BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#email", Dataset.AdminEmail);
        await page.FillAsync("#password", Dataset.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync(".shell[data-interactive='true']");

        // Inbox: navigation until the page answers clicks and shows its tickets.
        const string inbox = "/inbox/open";
        var inboxPage = new List<double>();
        var inboxApi = new List<double>();
        for (var i = 0; i < settings.Samples + 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(inbox);
            await page.WaitForSelectorAsync(".shell[data-interactive='true'] [data-row-link]");
            var pageMs = clock.Elapsed.TotalMilliseconds;
            // The view counts follow the list; they finish before the next sample so samples do not overlap.
            await page.WaitForSelectorAsync(".views[data-counts='shown']");
            clock.Restart();
            await GetAsync(http, "/api/v1/tickets?status=new,open&sort=due&limit=50");
            var apiMs = clock.Elapsed.TotalMilliseconds;
            if (i >= 3)
            {
                inboxPage.Add(pageMs);
                inboxApi.Add(apiMs);
            }
        }
        Runner.Log($"Inbox usable: p50 {new Samples(inboxPage).P50:F0} ms");

        // The frame alone: a page with almost no data (the profile), to separate the live connection's start from the inbox's reads.
        var frame = new List<double>();
        for (var i = 0; i < settings.Samples + 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await page.GotoAsync("/profile");
            await page.WaitForSelectorAsync(".shell[data-interactive='true'] #profile-name");
            if (i >= 3) frame.Add(clock.Elapsed.TotalMilliseconds);
        }

        // Ticket: from the live inbox to the ticket's conversation, for tickets across the table.
        var maxId = JsonDocument.Parse(await GetAsync(http, "/api/v1/tickets?sort=-number&limit=1")).RootElement.GetProperty("items")[0].GetProperty("id").GetInt64();
        var random = new Random(7);
        var ticketPage = new List<double>();
        var ticketApi = new List<double>();
        for (var i = 0; i < settings.Samples + 3; i++)
        {
            var id = random.NextInt64(1, maxId + 1);
            var clock = Stopwatch.StartNew();
            await page.EvaluateAsync("id => Blazor.navigateTo('/tickets/' + id)", id);
            try
            {
                await page.WaitForFunctionAsync(
                    "id => { const h = document.querySelector('#ticket-title'); return h && h.textContent.includes('#' + id + ' ') && document.querySelector('[data-testid=timeline] li') }",
                    id, new() { PollingInterval = 5 });
            }
            catch (TimeoutException e)
            {
                var shown = await page.InnerTextAsync("main");
                throw new InvalidOperationException($"Ticket {id} did not show; the page shows: {shown[..Math.Min(shown.Length, 500)]}", e);
            }
            var pageMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            await GetAsync(http, $"/api/v1/tickets/{id}");
            await GetAsync(http, $"/api/v1/tickets/{id}/messages");
            await GetAsync(http, $"/api/v1/tickets/{id}/events");
            var apiMs = clock.Elapsed.TotalMilliseconds;
            if (i >= 3)
            {
                ticketPage.Add(pageMs);
                ticketApi.Add(apiMs);
            }
        }
        Runner.Log($"Ticket opens: p50 {new Samples(ticketPage).P50:F0} ms");

        // Live: a customer's new ticket, saved through the API, until it shows in the open inbox.
        var tag = "benchlive" + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync($"/inbox/open?tag={tag}");
        await page.WaitForSelectorAsync(".shell[data-interactive='true'] .empty");
        var livePage = new List<double>();
        var liveApi = new List<double>();
        for (var i = 0; i < settings.Samples + 3; i++)
        {
            var subject = $"Live arrival {i} {Guid.NewGuid():N}";
            var clock = Stopwatch.StartNew();
            var created = await http.PostAsJsonAsync("/api/v1/tickets", new
            {
                subject,
                message = new { body = "Where is my order?" },
                customer = new { email = $"live{i}-{tag}@example.test", name = "Live Customer" },
                tags = new[] { tag },
            });
            created.EnsureSuccessStatusCode();
            var apiMs = clock.Elapsed.TotalMilliseconds;
            await page.WaitForFunctionAsync("s => document.querySelector('[data-testid=ticket-list]')?.textContent.includes(s)", subject, new() { PollingInterval = 5 });
            var pageMs = clock.Elapsed.TotalMilliseconds;
            if (i >= 3)
            {
                livePage.Add(pageMs);
                liveApi.Add(apiMs);
            }
        }
        Runner.Log($"New ticket visible: p50 {new Samples(livePage).P50:F0} ms");

        var rows = new[]
        {
            ("Inbox usable after navigation (`/inbox/open`)", new Samples(inboxPage), "list through the API", new Samples(inboxApi), 1000.0),
            ("Inbox usable after navigation (`/inbox/open`)", new Samples(inboxPage), "profile page usable (the live frame alone)", new Samples(frame), 1000.0),
            ("Ticket opens from the inbox", new Samples(ticketPage), "ticket + messages + events through the API", new Samples(ticketApi), 300.0),
            ("New ticket visible in an open inbox", new Samples(livePage), "the POST that saves it", new Samples(liveApi), 1000.0),
        };
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-dd}, {settings.Provider}, Chromium headless, {settings.Samples} samples each after 3 warm-up.");
        report.AppendLine();
        report.AppendLine("| Scenario | n | p50 ms | p99 ms | substrate | substrate p50 ms | p99 ms | ratio p50 | target p99 | met |");
        report.AppendLine("|---|---:|---:|---:|---|---:|---:|---:|---:|---|");
        foreach (var (name, samples, substrateName, substrate, target) in rows)
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {samples.Count} | {samples.P50:F0} | {samples.P99:F0} | {substrateName} | {substrate.P50:F1} | {substrate.P99:F1} | {samples.P50 / substrate.P50:F1}× | {target:F0} | {(samples.P99 <= target ? "yes" : "**no**")} |");
        }
        Console.WriteLine(report);
        Directory.CreateDirectory(settings.OutDirectory);
        await File.WriteAllTextAsync(Path.Combine(settings.OutDirectory, $"latest-workspace-{settings.Provider.ToString().ToLowerInvariant()}.md"), report.ToString());
        return 0;
    }

    private static async Task<string> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
