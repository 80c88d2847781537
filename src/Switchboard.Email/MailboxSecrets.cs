using Microsoft.AspNetCore.DataProtection;

namespace Switchboard.Email;

/// <summary>Mailbox passwords are stored encrypted with Data Protection and only decrypted to log in.</summary>
public sealed class MailboxSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Switchboard.Email.MailboxPassword.v1");

    public string? Protect(string? password) => string.IsNullOrEmpty(password) ? null : _protector.Protect(password);

    public string? Unprotect(string? protectedPassword) => string.IsNullOrEmpty(protectedPassword) ? null : _protector.Unprotect(protectedPassword);
}
