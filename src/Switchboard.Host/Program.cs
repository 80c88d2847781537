using Switchboard.Accounts;
using Switchboard.Host;
using Switchboard.Tickets;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = HostSetup.ExpandSwitches(args),
    // appsettings.json sits beside the binaries wherever the host is started from.
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddSwitchboardPlatform();
builder.AddAccounts();
builder.AddTickets();

var app = builder.Build();

app.UseSwitchboardPipeline();
var api = app.MapApiV1();
app.MapAccounts(api);
api.MapTickets();
app.MapPlatformEndpoints();

await app.PrepareDatabaseAsync();
await app.Services.BootstrapAccountsAsync();
await app.SeedDemoIfRequestedAsync();

await app.RunAsync();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
