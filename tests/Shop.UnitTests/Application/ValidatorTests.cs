using FluentValidation;
using FluentValidation.TestHelper;
using Shop.Application.Categories.ListCategoryProducts;
using Shop.Application.PageViews.GetPageViews;
using Shop.Application.PageViews.RecordPageView;
using Shop.Application.Products.ChangeProductPrice;
using Shop.Application.Products.CreateProduct;
using Shop.Application.Products.GetProduct;
using Shop.Application.Products.GetProductPricing;
using Shop.Application.Products.GetProducts;
using Shop.Application.Users.ChangeUserPlan;
using Shop.Application.Users.CreateUser;
using Shop.Application.Users.GetPreferences;
using Shop.Application.Users.GetUserOverview;
using Shop.Application.Users.GetUserProfile;
using Shop.Application.Users.UpdatePreferences;

namespace Shop.UnitTests.Application;

/// <summary>Every FluentValidation validator of the Application, with inputs it must accept and inputs it must refuse.</summary>
public sealed class ValidatorTests
{
    /// <summary>The validators this class tests; <see cref="Every_validator_in_the_application_is_tested_here"/> keeps it complete.</summary>
    private static readonly Type[] Tested =
    [
        typeof(GetProductQueryValidator), typeof(GetProductPricingQueryValidator), typeof(GetProductsQueryValidator),
        typeof(CreateProductCommandValidator), typeof(ChangeProductPriceCommandValidator), typeof(ListCategoryProductsQueryValidator),
        typeof(GetUserProfileQueryValidator), typeof(GetPreferencesQueryValidator), typeof(GetUserOverviewQueryValidator),
        typeof(CreateUserCommandValidator), typeof(ChangeUserPlanCommandValidator), typeof(UpdatePreferencesCommandValidator),
        typeof(RecordPageViewCommandValidator), typeof(GetPageViewsQueryValidator),
    ];

    [Fact]
    public void Every_validator_in_the_application_is_tested_here()
    {
        var all = typeof(Shop.Application.DependencyInjection).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)))
            .Select(t => t.FullName).Order().ToArray();
        Assert.NotEmpty(all);
        Assert.Equal(all, Tested.Select(t => t.FullName).Order());
    }

    // --- Ids: every query that takes one id refuses 0 and negatives ---

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void Single_id_queries_accept_positive_ids(int id)
    {
        new GetProductQueryValidator().TestValidate(new GetProductQuery(id)).ShouldNotHaveAnyValidationErrors();
        new GetProductPricingQueryValidator().TestValidate(new GetProductPricingQuery(id)).ShouldNotHaveAnyValidationErrors();
        new GetUserProfileQueryValidator().TestValidate(new GetUserProfileQuery(id)).ShouldNotHaveAnyValidationErrors();
        new GetPreferencesQueryValidator().TestValidate(new GetPreferencesQuery(id)).ShouldNotHaveAnyValidationErrors();
        new GetUserOverviewQueryValidator().TestValidate(new GetUserOverviewQuery(id)).ShouldNotHaveAnyValidationErrors();
        new RecordPageViewCommandValidator().TestValidate(new RecordPageViewCommand(id)).ShouldNotHaveAnyValidationErrors();
        new GetPageViewsQueryValidator().TestValidate(new GetPageViewsQuery(id)).ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Single_id_queries_refuse_ids_that_are_not_positive(int id)
    {
        new GetProductQueryValidator().TestValidate(new GetProductQuery(id)).ShouldHaveValidationErrorFor(q => q.Id);
        new GetProductPricingQueryValidator().TestValidate(new GetProductPricingQuery(id)).ShouldHaveValidationErrorFor(q => q.ProductId);
        new GetUserProfileQueryValidator().TestValidate(new GetUserProfileQuery(id)).ShouldHaveValidationErrorFor(q => q.UserId);
        new GetPreferencesQueryValidator().TestValidate(new GetPreferencesQuery(id)).ShouldHaveValidationErrorFor(q => q.UserId);
        new GetUserOverviewQueryValidator().TestValidate(new GetUserOverviewQuery(id)).ShouldHaveValidationErrorFor(q => q.UserId);
        new RecordPageViewCommandValidator().TestValidate(new RecordPageViewCommand(id)).ShouldHaveValidationErrorFor(c => c.ProductId);
        new GetPageViewsQueryValidator().TestValidate(new GetPageViewsQuery(id)).ShouldHaveValidationErrorFor(q => q.ProductId);
    }

    // --- GetProductsQuery ---

    [Fact]
    public void Batch_accepts_1_to_100_distinct_positive_ids()
    {
        var validator = new GetProductsQueryValidator();
        validator.TestValidate(new GetProductsQuery([7])).ShouldNotHaveAnyValidationErrors();
        validator.TestValidate(new GetProductsQuery([.. Enumerable.Range(1, GetProductsQuery.MaxIds)])).ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public void Batch_refuses_empty_too_many_duplicate_and_non_positive_ids()
    {
        var validator = new GetProductsQueryValidator();
        validator.TestValidate(new GetProductsQuery([])).ShouldHaveValidationErrorFor(q => q.Ids).WithErrorMessage("Give at least one id.");
        validator.TestValidate(new GetProductsQuery([.. Enumerable.Range(1, GetProductsQuery.MaxIds + 1)]))
            .ShouldHaveValidationErrorFor(q => q.Ids).WithErrorMessage("Give at most 100 ids.");
        validator.TestValidate(new GetProductsQuery([1, 2, 1])).ShouldHaveValidationErrorFor(q => q.Ids).WithErrorMessage("Ids must be distinct.");
        validator.TestValidate(new GetProductsQuery([3, 0])).ShouldHaveValidationErrorFor("Ids[1]");
        validator.TestValidate(new GetProductsQuery([-4])).ShouldHaveValidationErrorFor("Ids[0]");
    }

    // --- CreateProductCommand ---

    private static readonly CreateProductCommand ValidProduct = new("SKU-123-abc", "Kettle", "Boils water.", 19.99m, "EUR", 4);

    [Fact]
    public void Create_product_accepts_a_valid_command_with_or_without_description()
    {
        var validator = new CreateProductCommandValidator();
        validator.TestValidate(ValidProduct).ShouldNotHaveAnyValidationErrors();
        validator.TestValidate(ValidProduct with { Description = null }).ShouldNotHaveAnyValidationErrors();
        validator.TestValidate(ValidProduct with { Sku = new string('A', 64), Name = new string('n', 200), Description = new string('d', 4000) })
            .ShouldNotHaveAnyValidationErrors();
        validator.TestValidate(ValidProduct with { Price = 0.01m }).ShouldNotHaveAnyValidationErrors();
        validator.TestValidate(ValidProduct with { Price = 1_000_000m }).ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("under_score")]
    [InlineData("ünïcode")]
    [InlineData("SKU/1")]
    [InlineData("SKU-1\n")] // `$` would match before this final newline; the pattern ends with \z
    public void Create_product_refuses_bad_skus(string sku) =>
        new CreateProductCommandValidator().TestValidate(ValidProduct with { Sku = sku }).ShouldHaveValidationErrorFor(c => c.Sku);

    [Fact]
    public void Create_product_refuses_a_sku_over_64_characters() =>
        new CreateProductCommandValidator().TestValidate(ValidProduct with { Sku = new string('A', 65) }).ShouldHaveValidationErrorFor(c => c.Sku);

    [Fact]
    public void Create_product_refuses_an_empty_or_over_long_name_and_description()
    {
        var validator = new CreateProductCommandValidator();
        validator.TestValidate(ValidProduct with { Name = "" }).ShouldHaveValidationErrorFor(c => c.Name);
        validator.TestValidate(ValidProduct with { Name = new string('n', 201) }).ShouldHaveValidationErrorFor(c => c.Name);
        validator.TestValidate(ValidProduct with { Description = new string('d', 4001) }).ShouldHaveValidationErrorFor(c => c.Description);
    }

    [Theory]
    [InlineData("N\u0000UL")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("next\u0085line")]
    [InlineData("Cafe\u0301")] // NFD
    [InlineData("evil\u202Egnp.exe")]
    [InlineData("isolate\u2066x")]
    public void Text_that_cannot_be_stored_as_sent_is_refused_in_names_descriptions_and_emails(string text)
    {
        var product = new CreateProductCommandValidator();
        product.TestValidate(ValidProduct with { Name = text }).ShouldHaveValidationErrorFor(c => c.Name);
        var user = new CreateUserCommandValidator();
        user.TestValidate(new CreateUserCommand(text, "a@example.com", "pro")).ShouldHaveValidationErrorFor(c => c.Name);
        user.TestValidate(new CreateUserCommand("A", "a" + text + "@example.com", "pro")).ShouldHaveValidationErrorFor(c => c.Email);
        if (text.Contains('\n', StringComparison.Ordinal) || text.Contains('\t', StringComparison.Ordinal))
            product.TestValidate(ValidProduct with { Description = text }).ShouldNotHaveValidationErrorFor(c => c.Description);
        else
            product.TestValidate(ValidProduct with { Description = text }).ShouldHaveValidationErrorFor(c => c.Description);
    }

    [Fact]
    public void Lone_surrogates_are_refused()
    {
        // Built in code: an attribute argument is stored as UTF-8, which would turn a lone surrogate into U+FFFD.
        foreach (var text in new[] { "lone \ud800 high", "lone \udc00 low", "swapped \udc00\ud800", "end \ud83d" })
        {
            new CreateProductCommandValidator().TestValidate(ValidProduct with { Name = text, Description = text })
                .ShouldHaveValidationErrorFor(c => c.Name).WithErrorMessage("Name must be well-formed Unicode (it has a lone surrogate).");
            new CreateUserCommandValidator().TestValidate(new CreateUserCommand(text, "a@example.com", "pro")).ShouldHaveValidationErrorFor(c => c.Name);
        }
    }

    [Theory]
    [InlineData("Café")] // NFC
    [InlineData("Zoë's \"shop\" 🛒")] // a surrogate pair is well formed
    [InlineData("ℌ Ⅻ ﬁ")] // compatibility characters are NFC (NFKC would change them): allowed
    public void Text_in_nfc_with_pairs_and_symbols_is_accepted(string text)
    {
        new CreateProductCommandValidator().TestValidate(ValidProduct with { Name = text, Description = text + "\r\nsecond line" }).ShouldNotHaveAnyValidationErrors();
        new CreateUserCommandValidator().TestValidate(new CreateUserCommand(text, "a@example.com", "pro")).ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1000000.01)]
    [InlineData(1.001)]
    public void Create_product_refuses_bad_prices(decimal price) =>
        new CreateProductCommandValidator().TestValidate(ValidProduct with { Price = price }).ShouldHaveValidationErrorFor(c => c.Price);

    [Theory]
    [InlineData("")]
    [InlineData("eur")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData(" EUR")]
    [InlineData("EUR\n")]
    public void Create_product_refuses_bad_currencies(string currency) =>
        new CreateProductCommandValidator().TestValidate(ValidProduct with { Currency = currency }).ShouldHaveValidationErrorFor(c => c.Currency);

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Create_product_refuses_a_category_id_that_is_not_positive(int categoryId) =>
        new CreateProductCommandValidator().TestValidate(ValidProduct with { CategoryId = categoryId }).ShouldHaveValidationErrorFor(c => c.CategoryId);

    // --- ChangeProductPriceCommand ---

    [Fact]
    public void Change_price_accepts_a_valid_price_and_refuses_bad_ones_and_ids()
    {
        var validator = new ChangeProductPriceCommandValidator();
        validator.TestValidate(new ChangeProductPriceCommand(1, 0.01m)).ShouldNotHaveAnyValidationErrors();
        validator.TestValidate(new ChangeProductPriceCommand(1, 1_000_000m)).ShouldNotHaveAnyValidationErrors();
        validator.TestValidate(new ChangeProductPriceCommand(1, 0m)).ShouldHaveValidationErrorFor(c => c.Price);
        validator.TestValidate(new ChangeProductPriceCommand(1, -1m)).ShouldHaveValidationErrorFor(c => c.Price);
        validator.TestValidate(new ChangeProductPriceCommand(1, 1_000_000.01m)).ShouldHaveValidationErrorFor(c => c.Price);
        validator.TestValidate(new ChangeProductPriceCommand(1, 9.999m)).ShouldHaveValidationErrorFor(c => c.Price);
        validator.TestValidate(new ChangeProductPriceCommand(0, 5m)).ShouldHaveValidationErrorFor(c => c.ProductId);
    }

    // --- ListCategoryProductsQuery ---

    [Theory]
    [InlineData(1, 1, 10)]
    [InlineData(1, 1, 50)]
    [InlineData(1, 1, 100)]
    [InlineData(50, 1000, 20)]
    public void Category_page_accepts_valid_paging(int categoryId, int page, int pageSize) =>
        new ListCategoryProductsQueryValidator().TestValidate(new ListCategoryProductsQuery(categoryId, page, pageSize)).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Category_page_defaults_are_valid() =>
        new ListCategoryProductsQueryValidator().TestValidate(new ListCategoryProductsQuery(1)).ShouldNotHaveAnyValidationErrors();

    [Fact]
    public void Category_page_refuses_bad_paging_and_ids()
    {
        var validator = new ListCategoryProductsQueryValidator();
        validator.TestValidate(new ListCategoryProductsQuery(1, 1, 0)).ShouldHaveValidationErrorFor(q => q.PageSize);
        validator.TestValidate(new ListCategoryProductsQuery(1, 1, 101)).ShouldHaveValidationErrorFor(q => q.PageSize);
        validator.TestValidate(new ListCategoryProductsQuery(1, 0, 20)).ShouldHaveValidationErrorFor(q => q.Page);
        validator.TestValidate(new ListCategoryProductsQuery(1, 1_001, 20)).ShouldHaveValidationErrorFor(q => q.Page);
        validator.TestValidate(new ListCategoryProductsQuery(1, 1, 15)).ShouldHaveValidationErrorFor(q => q.PageSize);
        validator.TestValidate(new ListCategoryProductsQuery(0, 1, 20)).ShouldHaveValidationErrorFor(q => q.CategoryId);
    }

    // --- CreateUserCommand ---

    [Theory]
    [InlineData("free")]
    [InlineData("pro")]
    [InlineData("enterprise")]
    public void Create_user_accepts_a_valid_command(string plan) =>
        new CreateUserCommandValidator().TestValidate(new CreateUserCommand("Ada", "Ada@Example.com", plan)).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData("")]
    [InlineData("not-an-email")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    public void Create_user_refuses_bad_emails(string email) =>
        new CreateUserCommandValidator().TestValidate(new CreateUserCommand("Ada", email, "free")).ShouldHaveValidationErrorFor(c => c.Email);

    [Fact]
    public void Create_user_refuses_over_long_emails_and_names_and_empty_names()
    {
        var validator = new CreateUserCommandValidator();
        validator.TestValidate(new CreateUserCommand("Ada", new string('a', 243) + "@example.com", "free")).ShouldHaveValidationErrorFor(c => c.Email);
        validator.TestValidate(new CreateUserCommand("", "ada@example.com", "free")).ShouldHaveValidationErrorFor(c => c.Name);
        validator.TestValidate(new CreateUserCommand(new string('n', 201), "ada@example.com", "free")).ShouldHaveValidationErrorFor(c => c.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Free")]
    [InlineData("gold")]
    public void Create_user_refuses_unknown_plans(string plan) =>
        new CreateUserCommandValidator().TestValidate(new CreateUserCommand("Ada", "ada@example.com", plan)).ShouldHaveValidationErrorFor(c => c.Plan);

    [Fact]
    public void Create_user_refuses_a_missing_plan() =>
        new CreateUserCommandValidator().TestValidate(new CreateUserCommand("Ada", "ada@example.com", null!)).ShouldHaveValidationErrorFor(c => c.Plan);

    // --- ChangeUserPlanCommand ---

    [Fact]
    public void Change_plan_accepts_every_plan_name_and_refuses_others_and_bad_ids()
    {
        var validator = new ChangeUserPlanCommandValidator();
        foreach (var plan in new[] { "free", "pro", "enterprise" })
            validator.TestValidate(new ChangeUserPlanCommand(1, plan)).ShouldNotHaveAnyValidationErrors();
        validator.TestValidate(new ChangeUserPlanCommand(1, "gold")).ShouldHaveValidationErrorFor(c => c.Plan)
            .WithErrorMessage("Plan must be one of: free, pro, enterprise.");
        validator.TestValidate(new ChangeUserPlanCommand(1, "ENTERPRISE")).ShouldHaveValidationErrorFor(c => c.Plan);
        validator.TestValidate(new ChangeUserPlanCommand(1, null!)).ShouldHaveValidationErrorFor(c => c.Plan);
        validator.TestValidate(new ChangeUserPlanCommand(0, "pro")).ShouldHaveValidationErrorFor(c => c.UserId);
    }

    // --- UpdatePreferencesCommand ---

    [Theory]
    [InlineData("EUR", "en")]
    [InlineData("GBP", "en-GB")]
    [InlineData("USD", "pt-BR")]
    public void Preferences_accept_iso_currencies_and_language_tags(string currency, string language) =>
        new UpdatePreferencesCommandValidator().TestValidate(new UpdatePreferencesCommand(1, currency, language, true)).ShouldNotHaveAnyValidationErrors();

    [Theory]
    [InlineData("gbp")]
    [InlineData("GB")]
    [InlineData("POUND")]
    [InlineData("")]
    [InlineData("EUR\n")]
    public void Preferences_refuse_bad_currencies(string currency) =>
        new UpdatePreferencesCommandValidator().TestValidate(new UpdatePreferencesCommand(1, currency, "en", false)).ShouldHaveValidationErrorFor(c => c.Currency);

    [Theory]
    [InlineData("")]
    [InlineData("EN")]
    [InlineData("english")]
    [InlineData("en_GB")]
    [InlineData("en-gb")]
    [InlineData("en-GBR")]
    [InlineData("e")]
    [InlineData("en\n")]
    [InlineData("en-GB\n")]
    public void Preferences_refuse_bad_languages(string language) =>
        new UpdatePreferencesCommandValidator().TestValidate(new UpdatePreferencesCommand(1, "EUR", language, false)).ShouldHaveValidationErrorFor(c => c.Language);

    [Fact]
    public void Preferences_refuse_a_user_id_that_is_not_positive() =>
        new UpdatePreferencesCommandValidator().TestValidate(new UpdatePreferencesCommand(0, "EUR", "en", false)).ShouldHaveValidationErrorFor(c => c.UserId);
}
