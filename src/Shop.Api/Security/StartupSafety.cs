using System.Text;
using Npgsql;

namespace Shop.Api.Security;

/// <summary>
/// Refuses unsafe configuration before the host is built, outside Development: no way to validate tokens, the committed
/// development signing key (anyone can mint an admin token with it), a signing key too short for HS256, or the
/// committed development database credentials. Program.cs logs the reasons on one line and exits with code 1, so a
/// misconfigured deployment fails its rollout instead of starting and answering 500 to every request.
/// In Development nothing is refused (the committed values are what Development is for).
/// It does not judge secrets it cannot recognise: a weak password chosen by the team passes.
/// </summary>
public static partial class StartupSafety
{
    /// <summary>Logs every problem on one line (category Shop.Api.Startup) and returns true when there is any.</summary>
    public static bool Refuse(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = Problems(configuration, environment);
        if (problems.Count == 0) return false;
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        LogRefused(loggerFactory.CreateLogger("Shop.Api.Startup"), environment.EnvironmentName, string.Join("; ", problems));
        return true; // disposing the factory flushes the console logger before the process exits
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Refusing to start in {Environment}: {Problems}")]
    private static partial void LogRefused(ILogger logger, string environment, string problems);

    /// <summary>The credentials committed in appsettings.Development.json and the development compose override.</summary>
    public static readonly (string User, string Password)[] CommittedDatabaseCredentials = [("shop", "shop")];

    public static IReadOnlyList<string> Problems(IConfiguration configuration, IHostEnvironment environment)
    {
        var problems = new List<string>();
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (!string.IsNullOrEmpty(auth.SigningKey) && Encoding.UTF8.GetByteCount(auth.SigningKey) < AuthOptions.MinSigningKeyBytes)
            problems.Add($"Auth:SigningKey is shorter than {AuthOptions.MinSigningKeyBytes} bytes (256 bits); generate one with `openssl rand -base64 48`");
        if (environment.IsDevelopment()) return problems;

        if (string.IsNullOrEmpty(auth.Authority) && string.IsNullOrEmpty(auth.SigningKey))
            problems.Add("authentication is not configured: set Auth:Authority (an OpenID Connect issuer) or Auth:SigningKey (a secret of at least 32 bytes)");
        if (auth.SigningKey == AuthOptions.DevelopmentSigningKey)
            problems.Add("Auth:SigningKey is the committed development key, which anyone can use to mint an admin token; set your own secret");

        var postgres = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(postgres))
        {
            problems.Add("ConnectionStrings:Postgres is not set");
        }
        else
        {
            try
            {
                var cs = new NpgsqlConnectionStringBuilder(postgres);
                if (CommittedDatabaseCredentials.Any(c => c.User == cs.Username && c.Password == cs.Password))
                    problems.Add($"ConnectionStrings:Postgres uses the committed development credentials ({cs.Username}/{cs.Password}); use the least-privilege app role with its own password");
            }
            catch (ArgumentException ex)
            {
                problems.Add($"ConnectionStrings:Postgres is malformed ({ex.Message})");
            }
        }
        return problems;
    }
}
