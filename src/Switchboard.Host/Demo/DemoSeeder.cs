namespace Switchboard.Host.Demo;

/// <summary>Fills an empty instance with departments, agents, customers and multilingual tickets.</summary>
internal static class DemoSeeder
{
    public static Task SeedAsync(IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        _ = services;
        _ = logger;
        _ = ct;
        return Task.CompletedTask;
    }
}
