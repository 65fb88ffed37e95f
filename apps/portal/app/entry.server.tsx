export { handleError, handleRequest as default } from "@xplorium/ui/entry-server";
