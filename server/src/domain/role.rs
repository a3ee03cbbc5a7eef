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
    fn roles_round_trip_through_their_names() {
        for role in [Role::Viewer, Role::Developer, Role::Admin, Role::Owner] {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse("Owner"), Err(DomainError::InvalidRole));
    }
}
