using Microsoft.AspNetCore.Identity;
using Switchboard.Core.Errors;
using Switchboard.Core.Model;

namespace Switchboard.Accounts;

/// <summary>PBKDF2 hashing from ASP.NET Core Identity, without the rest of Identity.</summary>
internal static class Passwords
{
    private static readonly PasswordHasher<Agent> Hasher = new();

    public static string Hash(Agent agent, string password) => Hasher.HashPassword(agent, password);

    public static bool Verify(Agent agent, string password, out bool needsRehash)
    {
        needsRehash = false;
        if (string.IsNullOrEmpty(agent.PasswordHash)) return false;
        var result = Hasher.VerifyHashedPassword(agent, agent.PasswordHash, password);
        needsRehash = result == PasswordVerificationResult.SuccessRehashNeeded;
        return result != PasswordVerificationResult.Failed;
    }

    public static void Validate(string? password, int minLength)
    {
        if (string.IsNullOrEmpty(password) || password.Length < minLength)
        {
            throw ProblemException.Invalid("password", $"The password must have at least {minLength} characters.");
        }
        if (password.Length > 200)
        {
            throw ProblemException.Invalid("password", "The password must have at most 200 characters.");
        }
    }
}
