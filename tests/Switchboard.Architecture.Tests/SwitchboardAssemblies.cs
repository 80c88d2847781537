using System.Reflection;

namespace Switchboard.Architecture.Tests;

/// <summary>The product's assemblies, found beside the tests, so a new module is checked without editing this project.</summary>
internal static class SwitchboardAssemblies
{
    public const string CoreName = "Switchboard.Core";
    public const string HostName = "Switchboard.Host";

    public static readonly IReadOnlyList<Assembly> All = Directory
        .GetFiles(AppContext.BaseDirectory, "Switchboard.*.dll")
        .Select(path => Path.GetFileNameWithoutExtension(path))
        .Where(name => !name.EndsWith("Tests", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(name => Assembly.Load(new AssemblyName(name)))
        .ToList();

    /// <summary>Product areas: everything but Core, the host and the migration projects.</summary>
    public static IEnumerable<Assembly> Modules => All.Where(a => Name(a) is not (CoreName or HostName) && !IsMigrations(a));

    public static Assembly Named(string name) =>
        All.SingleOrDefault(a => Name(a) == name) ?? throw new InvalidOperationException($"{name}.dll is not beside the tests.");

    public static string Name(Assembly assembly) => assembly.GetName().Name!;

    public static bool IsMigrations(Assembly assembly) => Name(assembly).StartsWith("Switchboard.Data.", StringComparison.Ordinal);

    /// <summary>The Switchboard assemblies this one uses (compiled references that are actually used).</summary>
    public static List<string> References(Assembly assembly) => assembly.GetReferencedAssemblies()
        .Select(a => a.Name!)
        .Where(n => n.StartsWith("Switchboard.", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToList();
}
