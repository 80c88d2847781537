using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Automation.Assignment;

namespace Switchboard.Automation;

/// <summary>Automation rules: triggers on ticket events and on time, conditions, actions, webhooks.</summary>
public static class AutomationModule
{
    public static IHostApplicationBuilder AddAutomation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AutomationOptions>().BindConfiguration(AutomationOptions.Section)
            .Validate(o => o.BatchSize > 0 && o.TimeRuleInterval > TimeSpan.Zero && o.PollInterval > TimeSpan.Zero && o.AutoRepliesPerTicketPerHour >= 0,
                "Automation: BatchSize, TimeRuleInterval and PollInterval must be positive and AutoRepliesPerTicketPerHour not negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<RuleCatalog>();
        builder.Services.AddScoped(sp => new AutomationRules(
            sp.GetRequiredService<Core.Data.SwitchboardDb>(), sp.GetRequiredService<RuleCatalog>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddKeyedSingleton<AutomationSignal>(AutomationSignal.Rules);
        builder.Services.AddKeyedSingleton<AutomationSignal>(AutomationSignal.Assignment);
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<IInterceptor, AutomationSaveInterceptor>();
        builder.Services.AddSingleton<IInterceptor, AutomationCommitInterceptor>();
        if (builder.Configuration.GetValue($"{AutomationOptions.Section}:RunWorker", true))
        {
            builder.Services.AddHostedService<AutomationWorker>();
        }
        if (builder.Configuration.GetValue($"{AutomationOptions.Section}:RunAssignment", true))
        {
            builder.Services.AddHostedService<AssignmentWorker>();
        }
        return builder;
    }

    public static RouteGroupBuilder MapAutomation(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        AutomationApi.Map(api);
        return api;
    }
}
