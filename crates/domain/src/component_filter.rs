//! Which of a provider's components a monitor watches: all of them (the default), or chosen
//! groups and single components. A group is chosen by its name, so a component that appears
//! in it later is watched too; a single component by its vendor id, kept even when the vendor
//! removes it (the monitor's page then says so).

use std::collections::BTreeSet;

use crate::ComponentStatus;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ComponentFilter {
    #[default]
    All,
    Chosen {
        groups: BTreeSet<String>,
        components: BTreeSet<String>,
    },
}

/// What the filter needs to know of a component.
pub trait FilterableComponent {
    fn vendor_id(&self) -> &str;
    fn group(&self) -> Option<&str>;
    fn status(&self) -> Option<ComponentStatus>;
}

impl<T: FilterableComponent> FilterableComponent for &T {
    fn vendor_id(&self) -> &str {
        (*self).vendor_id()
    }
    fn group(&self) -> Option<&str> {
        (*self).group()
    }
    fn status(&self) -> Option<ComponentStatus> {
        (*self).status()
    }
}

impl ComponentFilter {
    /// A filter of the given groups and components; nothing chosen means all.
    pub fn chosen(
        groups: impl IntoIterator<Item = String>,
        components: impl IntoIterator<Item = String>,
    ) -> Self {
        let groups: BTreeSet<String> = groups.into_iter().collect();
        let components: BTreeSet<String> = components.into_iter().collect();
        if groups.is_empty() && components.is_empty() {
            ComponentFilter::All
        } else {
            ComponentFilter::Chosen { groups, components }
        }
    }

    pub fn is_all(&self) -> bool {
        matches!(self, ComponentFilter::All)
    }

    pub fn watches(&self, component: &impl FilterableComponent) -> bool {
        match self {
            ComponentFilter::All => true,
            ComponentFilter::Chosen { groups, components } => {
                components.contains(component.vendor_id())
                    || component.group().is_some_and(|g| groups.contains(g))
            }
        }
    }

    /// Whether an incident or maintenance naming `affected` (vendor ids) touches the monitor:
    /// one that names no component touches every monitor of its provider; otherwise it must
    /// name a watched component. `components` are the provider's, to find their groups.
    pub fn touches<C: FilterableComponent>(&self, affected: &[String], components: &[C]) -> bool {
        let ComponentFilter::Chosen {
            groups,
            components: chosen,
        } = self
        else {
            return true;
        };
        if affected.is_empty() {
            return true;
        }
        affected.iter().any(|id| {
            chosen.contains(id)
                || components
                    .iter()
                    .find(|c| c.vendor_id() == id)
                    .and_then(FilterableComponent::group)
                    .is_some_and(|g| groups.contains(g))
        })
    }

    /// The provider's state as the monitor sees it: the worst status among the watched
    /// components; `None` when none of them gives one.
    pub fn worst<C: FilterableComponent>(&self, components: &[C]) -> Option<ComponentStatus> {
        components
            .iter()
            .filter(|c| self.watches(*c))
            .filter_map(FilterableComponent::status)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct C(&'static str, Option<&'static str>, ComponentStatus);

    impl FilterableComponent for C {
        fn vendor_id(&self) -> &str {
            self.0
        }
        fn group(&self) -> Option<&str> {
            self.1
        }
        fn status(&self) -> Option<ComponentStatus> {
            Some(self.2)
        }
    }

    fn page() -> Vec<C> {
        vec![
            C("git", None, ComponentStatus::Operational),
            C("runners", Some("Actions"), ComponentStatus::MajorOutage),
            C(
                "cache",
                Some("Actions"),
                ComponentStatus::DegradedPerformance,
            ),
            C("api", None, ComponentStatus::PartialOutage),
        ]
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn nothing_chosen_is_all() {
        assert!(ComponentFilter::chosen(vec![], vec![]).is_all());
        assert_eq!(
            ComponentFilter::All.worst(&page()),
            Some(ComponentStatus::MajorOutage)
        );
    }

    #[test]
    fn a_group_watches_its_members_including_later_ones() {
        let filter = ComponentFilter::chosen(ids(&["Actions"]), vec![]);
        assert!(filter.watches(&C("new-one", Some("Actions"), ComponentStatus::Operational)));
        assert!(!filter.watches(&C("git", None, ComponentStatus::Operational)));
        assert_eq!(filter.worst(&page()), Some(ComponentStatus::MajorOutage));
    }

    #[test]
    fn single_components_set_the_worst_status() {
        let filter = ComponentFilter::chosen(vec![], ids(&["git"]));
        assert_eq!(filter.worst(&page()), Some(ComponentStatus::Operational));
        let gone = ComponentFilter::chosen(vec![], ids(&["removed"]));
        assert_eq!(gone.worst(&page()), None);
    }

    #[test]
    fn what_touches_a_monitor() {
        let filter = ComponentFilter::chosen(ids(&["Actions"]), ids(&["git"]));
        assert!(filter.touches(&[], &page()), "naming nothing touches all");
        assert!(filter.touches(&ids(&["cache"]), &page()), "via its group");
        assert!(
            filter.touches(&ids(&["api", "git"]), &page()),
            "a chosen one"
        );
        assert!(!filter.touches(&ids(&["api"]), &page()));
        assert!(ComponentFilter::All.touches(&ids(&["api"]), &page()));
    }
}
