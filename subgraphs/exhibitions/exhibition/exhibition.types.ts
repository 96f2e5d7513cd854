import { ConnectionType } from "../../../lib/pagination";
import { Exhibition } from "./exhibition.entity";

export const ExhibitionConnection = ConnectionType("Exhibition", Exhibition, "A page of exhibitions, newest first.");
