using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;
using Shop.Api.Security;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Security;

/// <summary>
/// The API as a real process (dotnet Shop.Api.dll), the way a deployment starts it: outside Development it refuses
/// unsafe configuration before it builds the host, with one log line and exit code 1. The control case (a safe
/// configuration starts and answers) runs in-process in <see cref="ProductionTokenTests"/>.
/// </summary>
public sealed class StartupSafetyTests(ShopServices services)
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private Dictionary<string, string?> Production(params (string Key, string? Value)[] overrides)
    {
        var env = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Postgres"] = services.AppConnectionString("postgres"),
            ["ConnectionStrings__Redis"] = services.Redis,
            ["Auth__SigningKey"] = Key,
            ["Secrets__Directory"] = Path.Combine(Path.GetTempPath(), "shop-no-secrets"),
        };
        foreach (var (k, v) in overrides) env[k] = v;
        return env;
    }

    [Fact]
    public async Task Refuses_to_start_without_authentication()
    {
        var (exit, output) = await ApiProcess.RunAsync([], Production(("Auth__SigningKey", null)));
        AssertRefused(exit, output, "authentication is not configured: set Auth:Authority");
    }

    [Fact]
    public async Task Refuses_to_start_with_the_development_signing_key()
    {
        var (exit, output) = await ApiProcess.RunAsync([], Production(("Auth__SigningKey", AuthOptions.DevelopmentSigningKey)));
        AssertRefused(exit, output, "Auth:SigningKey is the committed development key");
    }

    [Fact]
    public async Task Refuses_to_start_with_a_signing_key_under_256_bits()
    {
        var (exit, output) = await ApiProcess.RunAsync([], Production(("Auth__SigningKey", "too-short-0123456789-0123456789")));
        AssertRefused(exit, output, "Auth:SigningKey is shorter than 32 bytes");
    }

    [Fact]
    public async Task Refuses_to_start_with_the_committed_database_credentials()
    {
        var committed = new NpgsqlConnectionStringBuilder(services.AppConnectionString("shop")) { Username = "shop", Password = "shop" };
        var (exit, output) = await ApiProcess.RunAsync([], Production(("ConnectionStrings__Postgres", committed.ConnectionString)));
        AssertRefused(exit, output, "uses the committed development credentials (shop/shop)");
    }

    [Fact]
    public async Task Refuses_to_start_without_a_database_connection_string()
    {
        var (exit, output) = await ApiProcess.RunAsync([], Production(("ConnectionStrings__Postgres", null)));
        AssertRefused(exit, output, "ConnectionStrings:Postgres is not set");
    }

    [Fact]
    public async Task Development_accepts_the_committed_values_it_ships_with()
    {
        // The control for the refusals above: the same checks pass in Development, so mint-token works there with the dev key.
        var (exit, output) = await ApiProcess.RunAsync(["mint-token", "--sub", "3", "--role", "customer"],
            Production(("ASPNETCORE_ENVIRONMENT", "Development"), ("Auth__SigningKey", AuthOptions.DevelopmentSigningKey)));
        Assert.True(exit == 0, output);
        Assert.Equal(3, output.Trim().Split('.').Length); // header.payload.signature
    }

    [Fact]
    public async Task Mint_token_refuses_the_development_key_outside_development()
    {
        var (exit, output) = await ApiProcess.RunAsync(["mint-token", "--sub", "1", "--role", "admin"],
            Production(("Auth__SigningKey", AuthOptions.DevelopmentSigningKey)));
        Assert.Equal(2, exit);
        Assert.Contains("committed development key", output, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Split('\n'), l => l.StartsWith("ey", StringComparison.Ordinal)); // no token printed
    }

    private static void AssertRefused(int exit, string output, string reason)
    {
        Assert.True(exit == 1, $"exit code {exit}, output: {output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var refusal = Assert.Single(lines, l => l.Contains("Refusing to start in Production", StringComparison.Ordinal));
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
        Assert.Contains("crit", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("Now listening", StringComparison.Ordinal));
    }
}

/// <summary>Runs the built API (src/Shop.Api/bin/{configuration}/net10.0/Shop.Api.dll) with a clean environment.</summary>
public static class ApiProcess
{
    public static string Dll
    {
        get
        {
            // tests/Shop.IntegrationTests/bin/{Configuration}/net10.0/ → the API's own output of the same configuration
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = bin.Parent!.Name;
            var root = bin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "Shop.Api", "bin", configuration, bin.Name, "Shop.Api.dll");
        }
    }

    public static async Task<(int Exit, string Output)> RunAsync(string[] args, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(Dll)! };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        // Nothing from the test run's own environment decides the outcome.
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Shop.Api {string.Join(' ', args)} did not exit within 60 s (it should refuse at once)");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
