//! `Role`: a member's role on a merchant. Ordered so `role >= Role::Admin` reads as the rule.

use super::DomainError;

/// API.md: owner > admin > developer > viewer. viewer reads; developer adds API keys and
/// payments; admin adds settings and members; owner may do everything. The derive order is the
/// privilege order, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Viewer,
    Developer,
    Admin,
    Owner,
}

impl Role {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw {
            "viewer" => Ok(Self::Viewer),
            "developer" => Ok(Self::Developer),
            "admin" => Ok(Self::Admin),
            "owner" => Ok(Self::Owner),
            _ => Err(DomainError::InvalidRole),
        }
    }

    /// A member with this role may do what needs `required`.
    pub fn require(self, required: Role) -> Result<(), DomainError> {
        if self >= required { Ok(()) } else { Err(DomainError::InsufficientRole { required }) }
    }

    /// Granting or removing a role is itself limited by role: nobody grants or removes a role
    /// above their own, so an admin cannot make or unmake owners.
    pub fn may_manage(self, other: Role) -> Result<(), DomainError> {
        self.require(other)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Developer => "developer",
            Self::Admin => "admin",
            Self::Owner => "owner",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_privilege() {
        assert!(Role::Owner > Role::Admin && Role::Admin > Role::Developer && Role::Developer > Role::Viewer);
    }

    #[test]
    fn nobody_manages_a_role_above_their_own() {
        assert_eq!(Role::Admin.may_manage(Role::Owner), Err(DomainError::InsufficientRole { required: Role::Owner }));
        assert_eq!(Role::Admin.may_manage(Role::Admin), Ok(()));
        assert_eq!(Role::Owner.may_manage(Role::Owner), Ok(()));
        assert!(Role::Viewer.require(Role::Developer).is_err());
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in [Role::Viewer, Role::Developer, Role::Admin, Role::Owner] {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse("Owner"), Err(DomainError::InvalidRole));
    }
}
