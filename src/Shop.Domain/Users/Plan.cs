namespace Shop.Domain.Users;

public enum Plan
{
    Free,
    Pro,
    Enterprise,
}
