import "@xplorium/ui/entry-client";
