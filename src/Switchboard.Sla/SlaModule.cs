using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Core.Data;
using Switchboard.Core.Model;
using Switchboard.Sla.BusinessHours;

namespace Switchboard.Sla;

/// <summary>SLA policies, business-hours calendars, due times on every ticket, warnings and breaches.</summary>
public static class SlaModule
{
    public static IHostApplicationBuilder AddSla(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section)
            .Validate(o => o.BatchSize > 0 && o.RecomputeBatchSize > 0 && o.CheckInterval > TimeSpan.Zero,
                "Sla: BatchSize, RecomputeBatchSize and CheckInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SlaCatalog>();
        builder.Services.AddSingleton<IInterceptor, SlaInterceptor>();
        builder.Services.AddSingleton<Switchboard.Core.Events.ITicketMessageClock, SlaMessageClock>();
        if (builder.Configuration.GetValue($"{SlaOptions.Section}:RunWorker", true))
        {
            builder.Services.AddHostedService<SlaWorker>();
        }
        return builder;
    }

    public static RouteGroupBuilder MapSla(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        SlaApi.Map(api);
        return api;
    }

    /// <summary>
    /// The default policy of a new instance: a 24/7 calendar and the department × priority table
    /// (first and next response) for Sales, Technical and Enterprise support. Runs once: an instance
    /// that has any policy or calendar is left as its administrators made it.
    /// </summary>
    public static async Task BootstrapSlaAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDb>();
        if (await db.WorkCalendars.AnyAsync(ct) || await db.SlaPolicies.AnyAsync(ct)) return;
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        db.WorkCalendars.Add(new WorkCalendar { Name = "24/7", TimeZone = "UTC", WeeklyHours = WeeklyHours.AlwaysOpen, IsDefault = true, CreatedAt = now });
        var departments = await db.Departments.AsNoTracking().ToDictionaryAsync(d => d.Name, d => d.Id, ct);
        var position = 0;
        foreach (var (department, priority, first, next) in DefaultTargets)
        {
            if (!departments.TryGetValue(department, out var departmentId)) continue;
            db.SlaPolicies.Add(new SlaPolicy
            {
                Name = $"{department} · {priority.ToString().ToLowerInvariant()}",
                Position = position += 10,
                Conditions = new PolicyConditions { DepartmentIds = [departmentId], Priorities = [priority] }.ToJson(),
                FirstResponseMinutes = first,
                NextResponseMinutes = next,
                CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        scope.ServiceProvider.GetRequiredService<SlaCatalog>().Invalidate();
    }

    /// <summary>The reference service desk's targets, in minutes (see the product map).</summary>
    internal static readonly (string Department, TicketPriority Priority, int First, int Next)[] DefaultTargets =
    [
        ("Sales support", TicketPriority.Normal, 120, 900),
        ("Sales support", TicketPriority.High, 60, 480),
        ("Sales support", TicketPriority.Urgent, 30, 60),
        ("Technical support", TicketPriority.Normal, 480, 1920),
        ("Technical support", TicketPriority.High, 240, 960),
        ("Technical support", TicketPriority.Urgent, 30, 60),
        ("Enterprise support", TicketPriority.Normal, 60, 240),
        ("Enterprise support", TicketPriority.High, 30, 60),
        ("Enterprise support", TicketPriority.Urgent, 15, 30),
    ];
}
