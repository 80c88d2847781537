using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Core.Errors;
using Switchboard.Core.Security;

namespace Switchboard.Workspace.Ui;

/// <summary>
/// Base of the workspace's components: the signed-in agent, their display settings, and calls into
/// the modules. Each call runs in its own service scope (its own database context), because a
/// browser connection lives for hours and its events may overlap.
/// </summary>
public abstract class WorkspaceComponent : ComponentBase
{
    [CascadingParameter] public Task<AuthenticationState>? AuthenticationState { get; set; }

    [CascadingParameter] public AgentUi Ui { get; set; } = AgentUi.Default;

    [Inject] internal IServiceScopeFactory Scopes { get; set; } = default!;

    [Inject] internal TimeProvider Time { get; set; } = default!;

    protected CurrentAgent Me { get; private set; } = new(0, "", Core.Model.AgentRole.Agent, new HashSet<long>());

    /// <summary>The last failure, worded for the agent (a problem's detail).</summary>
    protected string? Error { get; set; }

    protected string T(string text) => Ui.T(text);

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            Me = CurrentAgent.From((await AuthenticationState).User) ?? Me;
        }
    }

    protected async Task<TResult> Use<TService, TResult>(Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = Scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    protected async Task Use<TService>(Func<TService, Task> work) where TService : notnull
    {
        await using var scope = Scopes.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Runs an action the agent asked for; a refusal becomes <see cref="Error"/> instead of a broken page.</summary>
    protected async Task<bool> TryAsync(Func<Task> action)
    {
        Error = null;
        try
        {
            await action();
            return true;
        }
        catch (ProblemException e)
        {
            Error = e.Message;
            return false;
        }
    }
}
