namespace Shop.Api.Security;

public static class Roles
{
    public const string Admin = "admin";
    public const string Customer = "customer";

    public static readonly string[] All = [Admin, Customer];
}
