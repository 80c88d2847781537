using System.Runtime.CompilerServices;
using Switchboard.Email.Parsing;

namespace Switchboard.Email.Tests.Parsing;

internal static class ModuleSetup
{
    /// <summary>
    /// Tests build messages with MimeKit before they call the parser; in the application the email
    /// module is loaded first. Running its initializer here keeps the tests in the application's order.
    /// </summary>
#pragma warning disable CA2255 // Test setup: the parser's module must initialize before any MimeKit use.
    [ModuleInitializer]
    internal static void InitializeEmailModule() => RuntimeHelpers.RunModuleConstructor(typeof(MailParser).Module.ModuleHandle);
#pragma warning restore CA2255
}
