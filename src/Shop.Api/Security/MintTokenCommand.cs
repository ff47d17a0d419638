using System.Globalization;

namespace Shop.Api.Security;

/// <summary>
/// <c>dotnet Shop.Api.dll mint-token --sub 7 --role admin [--minutes 60]</c> (or <c>dotnet run --project src/Shop.Api --
/// mint-token ...</c>): prints a token signed with the configured Auth:SigningKey, read from the same configuration as
/// the API (appsettings, environment variables such as Auth__SigningKey, files in Secrets:Directory). For deployments
/// without an identity provider: whoever holds the key can mint any user's token, so keep it as secret as a password.
/// Refused, like the API, with the development key outside Development.
/// </summary>
internal static class MintTokenCommand
{
    public const string Name = "mint-token";

    public static int Run(string[] args, IConfiguration configuration, IHostEnvironment environment, TextWriter output, TextWriter error)
    {
        string? sub = null, role = null;
        var minutes = 60;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--sub": sub = value; i++; break;
                case "--role": role = value; i++; break;
                case "--minutes" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is > 0 and <= 1440:
                    minutes = m; i++; break;
                default:
                    return Usage(error, $"unknown or invalid argument '{args[i]}'");
            }
        }
        if (sub is null || !int.TryParse(sub, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            return Usage(error, "--sub must be a Shop user id (a positive integer)");
        if (role is null || !Roles.All.Contains(role))
            return Usage(error, $"--role must be one of: {string.Join(", ", Roles.All)}");

        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (string.IsNullOrEmpty(options.SigningKey))
            return Usage(error, "Auth:SigningKey is not set (environment variable Auth__SigningKey or a secret file)");
        var problems = StartupSafety.Problems(configuration, environment).Where(p => p.StartsWith("Auth:", StringComparison.Ordinal)).ToList();
        if (problems.Count > 0) return Usage(error, string.Join("; ", problems));

        var (token, _) = TokenIssuer.Issue(options, sub, role, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(minutes));
        output.WriteLine(token);
        return 0;
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"mint-token: {problem}");
        error.WriteLine("usage: mint-token --sub <user id> --role admin|customer [--minutes 1-1440]");
        return 2;
    }
}
