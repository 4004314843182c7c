import { afterAll } from "vitest";
import { madeDirs, removeDir } from "./temp-dirs.ts";

// Set up for every test file (vitest.config.ts): what a test left in the temp folder goes with it.
afterAll(() => Promise.all(madeDirs.splice(0).map(removeDir)));
