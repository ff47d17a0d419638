using System.Net;
using Shop.Api.Security;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Users;

/// <summary>
/// /api/users: who may read and change which user, and what each change writes (or, when refused, does not).
/// Each test uses its own user ids (seeded users 1..500), so the order of tests does not matter.
/// </summary>
public sealed class UserTests(ShopApp app) : IClassFixture<ShopApp>
{
    private Task<string?> PlanAndVersion(int id) => app.ScalarAsync<string>($"SELECT plan || ' v' || version FROM users WHERE id = {id}");

    private Task<string?> Preferences(int id) =>
        app.ScalarAsync<string>($"SELECT concat_ws('|', currency, language, marketing_emails::text, version) FROM user_preferences WHERE user_id = {id}");

    // --- GET /api/users/{id} ---

    [Fact]
    public async Task User_reads_their_own_profile()
    {
        var body = await app.AsUser(5).Get("/api/users/5").ShouldBe(HttpStatusCode.OK);

        Assert.Equal(5, body.Number("id"));
        Assert.Equal("User 5", body.Text("name"));
        Assert.Equal("user5@shop.example", body.Text("email"));
        Assert.Equal(await app.ScalarAsync<string>("SELECT lower(plan) FROM users WHERE id = 5"), body.Text("plan"));
    }

    [Fact]
    public async Task User_may_not_read_another_users_profile()
    {
        var problem = await app.AsUser(6).Get("/api/users/5").ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("user5@", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_reads_any_profile()
    {
        var body = await app.AsAdmin().Get("/api/users/7").ShouldBe(HttpStatusCode.OK);
        Assert.Equal("user7@shop.example", body.Text("email"));
    }

    [Fact]
    public async Task Anonymous_profile_read_is_401_problem()
    {
        using var response = await app.Anonymous().Get("/api/users/5");
        await response.ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Invalid_token_is_401_problem()
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not.a.jwt");
        await client.Get("/api/users/5").ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    private HttpClient WithToken(string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static readonly AuthOptions DevAuth = new() { SigningKey = "development-only-signing-key-not-a-secret-0123456789" };

    [Fact]
    public async Task Expired_token_is_401_problem()
    {
        var (token, _) = DevTokenEndpoints.Issue(DevAuth, 5, Roles.Customer, DateTimeOffset.UtcNow.AddMinutes(-DevAuth.TokenLifetimeMinutes - 5));
        await WithToken(token).Get("/api/users/5").ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_401_problem()
    {
        var forged = new AuthOptions { SigningKey = "an-attackers-key-that-is-long-enough-for-hmac-sha256-0123" };
        var (token, _) = DevTokenEndpoints.Issue(forged, 1, Roles.Admin, DateTimeOffset.UtcNow);
        await WithToken(token).Get("/api/users/5").ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_for_another_audience_is_401_problem()
    {
        var (token, _) = DevTokenEndpoints.Issue(new AuthOptions { SigningKey = DevAuth.SigningKey, Audience = "other-api" }, 1, Roles.Admin, DateTimeOffset.UtcNow);
        await WithToken(token).Get("/api/users/5").ShouldBeProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Dev_token_endpoint_issues_a_working_token_in_development()
    {
        var body = await app.Anonymous().Post("/api/dev/token", new { userId = 8, role = "customer" }).ShouldBe(HttpStatusCode.OK);
        var client = WithToken(body.Text("accessToken"));

        await client.Get("/api/users/8").ShouldBe(HttpStatusCode.OK);
        await client.Get("/api/users/9").ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(0, "customer")]
    [InlineData(8, "root")]
    public async Task Dev_token_endpoint_refuses_bad_requests(int userId, string role) =>
        await app.Anonymous().Post("/api/dev/token", new { userId, role }).ShouldBeValidationProblem("token");

    [Fact]
    public async Task Admin_reading_an_unknown_user_is_404_problem() =>
        await app.AsAdmin().Get("/api/users/999999").ShouldBeProblem(HttpStatusCode.NotFound);

    [Fact]
    public async Task User_0_is_400_naming_userId() =>
        await app.AsAdmin().Get("/api/users/0").ShouldBeValidationProblem("userId");

    // --- PUT /api/users/{id}/plan ---

    [Theory]
    [InlineData(30, "free", "Free")]
    [InlineData(31, "pro", "Pro")]
    [InlineData(32, "enterprise", "Enterprise")]
    public async Task Admin_changes_a_plan_and_the_row_and_version_change(int id, string plan, string stored)
    {
        var before = await app.ScalarAsync<long>($"SELECT version FROM users WHERE id = {id}");

        var body = await app.AsAdmin().Put($"/api/users/{id}/plan", new { plan }).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(id, body.Number("id"));
        Assert.Equal(plan, body.Text("plan"));
        Assert.Equal($"{stored} v{before + 1}", await PlanAndVersion(id));
    }

    [Theory]
    [InlineData("gold")]
    [InlineData("")]
    [InlineData("Pro")]
    [InlineData("1")]
    public async Task Unknown_plan_is_400_naming_plan_and_nothing_is_written(string plan)
    {
        var before = await PlanAndVersion(33);
        await app.AsAdmin().Put("/api/users/33/plan", new { plan }).ShouldBeValidationProblem("plan");
        Assert.Equal(before, await PlanAndVersion(33));
    }

    [Fact]
    public async Task Missing_plan_is_400_naming_plan() =>
        await app.AsAdmin().Put("/api/users/33/plan", new { }).ShouldBeValidationProblem("plan");

    [Fact]
    public async Task Customer_may_not_change_a_plan_not_even_their_own()
    {
        var before = await PlanAndVersion(34);
        await app.AsUser(34).Put("/api/users/34/plan", new { plan = "enterprise" }).ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal(before, await PlanAndVersion(34));
    }

    [Fact]
    public async Task Anonymous_plan_change_is_401_and_nothing_is_written()
    {
        var before = await PlanAndVersion(34);
        await app.Anonymous().Put("/api/users/34/plan", new { plan = "enterprise" }).ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await PlanAndVersion(34));
    }

    [Fact]
    public async Task Plan_change_for_an_unknown_user_is_404() =>
        await app.AsAdmin().Put("/api/users/999999/plan", new { plan = "pro" }).ShouldBeProblem(HttpStatusCode.NotFound);

    [Fact]
    public async Task After_a_plan_change_the_profile_and_overview_show_the_new_plan()
    {
        var old = await app.ScalarAsync<string>("SELECT lower(plan) FROM users WHERE id = 35");
        var plan = old == "enterprise" ? "free" : "enterprise";
        await app.AsUser(35).Get("/api/users/35").ShouldBe(HttpStatusCode.OK);
        await app.AsUser(35).Get("/api/users/35/overview").ShouldBe(HttpStatusCode.OK);

        await app.AsAdmin().Put("/api/users/35/plan", new { plan }).ShouldBe(HttpStatusCode.OK);

        var profile = await app.AsUser(35).Get("/api/users/35").ShouldBe(HttpStatusCode.OK);
        var overview = await app.AsUser(35).Get("/api/users/35/overview").ShouldBe(HttpStatusCode.OK);
        Assert.Equal($"profile {plan}, overview {plan}",
            $"profile {profile.Text("plan")}, overview {overview.GetProperty("profile").Text("plan")}");
    }

    // --- POST /api/users ---

    [Fact]
    public async Task Admin_creates_a_user_201_with_a_lower_cased_email_and_default_preferences()
    {
        using var response = await app.AsAdmin().Post("/api/users", new { name = "New Person", email = "New.Person@Shop.Example", plan = "pro" });
        var body = await response.ShouldBe(HttpStatusCode.Created);

        var id = body.Number("id");
        Assert.Equal($"/api/users/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("new.person@shop.example", body.Text("email"));
        Assert.Equal("pro", body.Text("plan"));
        Assert.Equal("New Person|new.person@shop.example|Pro|1",
            await app.ScalarAsync<string>($"SELECT concat_ws('|', name, email, plan, version) FROM users WHERE id = {id}"));
        Assert.Equal("EUR|en|false|1", await Preferences(id));

        var self = await app.AsUser(id).Get($"/api/users/{id}/overview").ShouldBe(HttpStatusCode.OK);
        Assert.Equal("EUR", self.GetProperty("preferences").Text("currency"));
    }

    [Theory]
    [InlineData("user3@shop.example")]
    [InlineData("USER3@Shop.Example")]
    [InlineData("  user3@shop.example ")]
    public async Task Duplicate_email_is_409_whatever_its_case_and_no_row_is_added(string email)
    {
        var before = await app.ScalarAsync<long>("SELECT count(*) FROM users");
        var problem = await app.AsAdmin().Post("/api/users", new { name = "Copy", email, plan = "free" }).ShouldBeProblem(HttpStatusCode.Conflict);
        Assert.Contains("email", problem.Text("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await app.ScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [Theory]
    [InlineData("not-an-email", "email")]
    [InlineData("", "email")]
    [InlineData("@shop.example", "email")]
    [InlineData("ok@shop.example", "plan", "platinum")]
    [InlineData("ok2@shop.example", "name", "free", "")]
    public async Task Invalid_user_is_400_naming_the_field_and_nothing_is_written(string email, string field, string plan = "free", string name = "Someone")
    {
        var before = await app.ScalarAsync<long>("SELECT count(*) FROM users");
        await app.AsAdmin().Post("/api/users", new { name, email, plan }).ShouldBeValidationProblem(field);
        Assert.Equal(before, await app.ScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Email_over_254_characters_is_400()
    {
        var email = new string('a', 243) + "@shop.example"; // 256 characters
        await app.AsAdmin().Post("/api/users", new { name = "Long", email, plan = "free" }).ShouldBeValidationProblem("email");
        Assert.Equal(0, await app.ScalarAsync<long>($"SELECT count(*) FROM users WHERE email = '{email}'"));
    }

    [Fact]
    public async Task Customer_may_not_create_a_user()
    {
        await app.AsUser(3).Post("/api/users", new { name = "Sneaky", email = "sneaky@shop.example", plan = "free" })
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        Assert.Equal(0, await app.ScalarAsync<long>("SELECT count(*) FROM users WHERE email = 'sneaky@shop.example'"));
    }

    // --- GET/PUT /api/users/{id}/preferences and GET /api/users/{id}/overview ---

    [Fact]
    public async Task User_reads_their_own_preferences()
    {
        var body = await app.AsUser(40).Get("/api/users/40/preferences").ShouldBe(HttpStatusCode.OK);

        Assert.Equal(40, body.Number("userId"));
        Assert.Equal(
            await app.ScalarAsync<string>("SELECT concat_ws('|', currency, language, marketing_emails::text) FROM user_preferences WHERE user_id = 40"),
            $"{body.Text("currency")}|{body.Text("language")}|{(body.GetProperty("marketingEmails").GetBoolean() ? "true" : "false")}");
    }

    [Fact]
    public async Task Preferences_are_private_to_the_user_and_admins()
    {
        await app.AsUser(41).Get("/api/users/40/preferences").ShouldBeProblem(HttpStatusCode.Forbidden);
        await app.Anonymous().Get("/api/users/40/preferences").ShouldBeProblem(HttpStatusCode.Unauthorized);
        await app.AsAdmin().Get("/api/users/40/preferences").ShouldBe(HttpStatusCode.OK);
        await app.AsAdmin().Get("/api/users/999999/preferences").ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task User_updates_their_own_preferences_and_the_row_changes()
    {
        var before = await app.ScalarAsync<long>("SELECT version FROM user_preferences WHERE user_id = 42");

        var body = await app.AsUser(42).Put("/api/users/42/preferences", new { currency = "GBP", language = "en-GB", marketingEmails = true })
            .ShouldBe(HttpStatusCode.OK);

        Assert.Equal(42, body.Number("userId"));
        Assert.Equal("GBP", body.Text("currency"));
        Assert.Equal("en-GB", body.Text("language"));
        Assert.True(body.GetProperty("marketingEmails").GetBoolean());
        Assert.Equal($"GBP|en-GB|true|{before + 1}", await Preferences(42));
    }

    [Fact]
    public async Task Admin_updates_another_users_preferences()
    {
        await app.AsAdmin().Put("/api/users/43/preferences", new { currency = "USD", language = "fr", marketingEmails = false })
            .ShouldBe(HttpStatusCode.OK);
        Assert.StartsWith("USD|fr|false|", await Preferences(43), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_may_not_update_another_users_preferences()
    {
        var before = await Preferences(45);
        await app.AsUser(44).Put("/api/users/45/preferences", new { currency = "GBP", language = "en", marketingEmails = true })
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await app.Anonymous().Put("/api/users/45/preferences", new { currency = "GBP", language = "en", marketingEmails = true })
            .ShouldBeProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await Preferences(45));
    }

    [Theory]
    [InlineData("gbp", "en", "currency")]
    [InlineData("POUND", "en", "currency")]
    [InlineData("", "en", "currency")]
    [InlineData("GBP", "english", "language")]
    [InlineData("GBP", "EN", "language")]
    [InlineData("GBP", "en_GB", "language")]
    [InlineData("GBP", "", "language")]
    public async Task Bad_preferences_are_400_naming_the_field_and_nothing_is_written(string currency, string language, string field)
    {
        var before = await Preferences(46);
        await app.AsUser(46).Put("/api/users/46/preferences", new { currency, language, marketingEmails = true }).ShouldBeValidationProblem(field);
        Assert.Equal(before, await Preferences(46));
    }

    [Fact]
    public async Task Preferences_of_an_unknown_user_is_404_for_an_admin() =>
        await app.AsAdmin().Put("/api/users/999999/preferences", new { currency = "GBP", language = "en", marketingEmails = true })
            .ShouldBeProblem(HttpStatusCode.NotFound);

    [Fact]
    public async Task After_a_preferences_change_reads_show_the_new_values()
    {
        await app.AsUser(47).Get("/api/users/47/preferences").ShouldBe(HttpStatusCode.OK);
        await app.AsUser(47).Get("/api/users/47/overview").ShouldBe(HttpStatusCode.OK);

        await app.AsUser(47).Put("/api/users/47/preferences", new { currency = "USD", language = "pt-BR", marketingEmails = true })
            .ShouldBe(HttpStatusCode.OK);

        var preferences = await app.AsUser(47).Get("/api/users/47/preferences").ShouldBe(HttpStatusCode.OK);
        var overview = await app.AsUser(47).Get("/api/users/47/overview").ShouldBe(HttpStatusCode.OK);
        Assert.Equal("preferences pt-BR, overview pt-BR",
            $"preferences {preferences.Text("language")}, overview {overview.GetProperty("preferences").Text("language")}");
    }

    [Fact]
    public async Task Overview_combines_profile_and_preferences()
    {
        var body = await app.AsUser(48).Get("/api/users/48/overview").ShouldBe(HttpStatusCode.OK);

        var profile = body.GetProperty("profile");
        Assert.Equal(48, profile.Number("id"));
        Assert.Equal("user48@shop.example", profile.Text("email"));
        Assert.Equal(await app.ScalarAsync<string>("SELECT lower(plan) FROM users WHERE id = 48"), profile.Text("plan"));
        var preferences = body.GetProperty("preferences");
        Assert.Equal(48, preferences.Number("userId"));
        Assert.Equal(await app.ScalarAsync<string>("SELECT currency FROM user_preferences WHERE user_id = 48"), preferences.Text("currency"));
        Assert.Equal(await app.ScalarAsync<string>("SELECT language FROM user_preferences WHERE user_id = 48"), preferences.Text("language"));
    }

    [Fact]
    public async Task Overview_is_private_to_the_user_and_admins()
    {
        await app.AsUser(49).Get("/api/users/48/overview").ShouldBeProblem(HttpStatusCode.Forbidden);
        await app.Anonymous().Get("/api/users/48/overview").ShouldBeProblem(HttpStatusCode.Unauthorized);
        await app.AsAdmin().Get("/api/users/48/overview").ShouldBe(HttpStatusCode.OK);
        await app.AsAdmin().Get("/api/users/999999/overview").ShouldBeProblem(HttpStatusCode.NotFound);
        await app.AsAdmin().Get("/api/users/0/overview").ShouldBeValidationProblem("userId");
    }
}
