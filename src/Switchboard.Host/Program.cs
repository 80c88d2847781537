using Switchboard.Accounts;
using Switchboard.Automation;
using Switchboard.Chat;
using Switchboard.Email;
using Switchboard.Host;
using Switchboard.Portal;
using Switchboard.Sla;
using Switchboard.Tickets;
using Switchboard.Workspace;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = HostSetup.ExpandSwitches(args),
    // appsettings.json sits beside the binaries wherever the host is started from.
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddSwitchboardPlatform();
builder.AddAccounts();
builder.AddTickets();
builder.AddEmail();
builder.AddSla();
builder.AddAutomation();
builder.AddWorkspace();
builder.AddChat();
builder.AddPortal();

var app = builder.Build();

if (MailPipe.IsCommand(args))
{
    await app.PrepareDatabaseAsync();
    return await MailPipe.RunAsync(app.Services, args, Console.OpenStandardInput(), Console.Out, CancellationToken.None);
}

app.UseSwitchboardPipeline();
var api = app.MapApiV1();
app.MapAccounts(api);
api.MapTickets();
api.MapEmail();
api.MapSla();
api.MapAutomation();
app.MapWorkspace(api);
app.MapChat(api);
app.MapPortal(api);
app.MapPlatformEndpoints();

await app.PrepareDatabaseAsync();
await app.Services.BootstrapAccountsAsync();
await app.Services.BootstrapSlaAsync();
await app.SeedDemoIfRequestedAsync();

await app.RunAsync();
return 0;

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
