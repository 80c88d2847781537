using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;

namespace Switchboard.Tickets;

/// <summary>Tickets, messages, contacts, companies, tags, attachments and search: the universal inbox's core.</summary>
public static class TicketsModule
{
    public static IHostApplicationBuilder AddTickets(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<TicketService>();
        builder.Services.AddSingleton<TicketFeed>();
        builder.Services.AddSingleton<IInterceptor, TicketFeedInterceptor>();
        builder.Services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IAttachmentStore>(sp => new FileSystemAttachmentStore(
            sp.GetRequiredService<IOptions<AttachmentOptions>>(),
            DatabaseSetup.DataDirectory(sp.GetRequiredService<IConfiguration>())));
        builder.Services.Configure<FormOptions>(o =>
        {
            var max = builder.Configuration.GetValue<long?>($"{AttachmentOptions.Section}:MaxBytes") ?? new AttachmentOptions().MaxBytes;
            o.MultipartBodyLengthLimit = max + (64 * 1024);
        });
        return builder;
    }

    public static RouteGroupBuilder MapTickets(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        TicketsApi.Map(api);
        ContactsApi.Map(api);
        CompaniesApi.Map(api);
        TagsApi.Map(api);
        AttachmentsApi.Map(api);
        return api;
    }
}
