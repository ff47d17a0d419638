using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.Domain.Users;

namespace Shop.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.Property(u => u.Name).HasMaxLength(User.MaxNameLength);
        builder.Property(u => u.Email).HasMaxLength(User.MaxEmailLength);
        builder.HasIndex(u => u.Email).IsUnique();
        builder.Property(u => u.Plan).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.HasOne(u => u.Preferences).WithOne().HasForeignKey<UserPreferences>(p => p.UserId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_user_preferences_users_user_id"); // the migrations' name; by convention it would follow the entity (user), not the table
    }
}
